package dev.streamlearn.trainer.parallel;

import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.family.TrainingFamily;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.kafka.common.TopicPartition;

/**
 * The checkpoint format of {@link DeltaLearnerState}: a format number first, so a later layout can
 * still read this one, then explicit fields, floats as raw bits so a restore is exact ({@link
 * StateFloats}). Written by hand rather than by Java serialization, which ties checkpoints to the
 * classes' internals. Only states with {@code unsent} are written ({@code base} is for reading
 * Java-serialized ones).
 */
final class DeltaLearnerStateSerializer extends TypeSerializerSingleton<DeltaLearnerState> {
    static final DeltaLearnerStateSerializer INSTANCE = new DeltaLearnerStateSerializer();
    private static final int FORMAT = 1;

    @Override
    public boolean isImmutableType() {
        // Never mutated once built: the operator builds a new one at every snapshot.
        return true;
    }

    @Override
    public DeltaLearnerState createInstance() {
        return null;
    }

    @Override
    public DeltaLearnerState copy(DeltaLearnerState from) {
        return from;
    }

    @Override
    public DeltaLearnerState copy(DeltaLearnerState from, DeltaLearnerState reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(DeltaLearnerState s, DataOutputView out) throws IOException {
        if (s.unsent() == null) {
            throw new IllegalArgumentException("a learner state to save carries its unsent delta");
        }
        out.writeInt(FORMAT);
        out.writeUTF(s.id());
        LearnerSnapshot l = s.learner();
        out.writeUTF(l.kind());
        writeStrings(l.spec(), out);
        StateFloats.write(l.params(), out);
        StateFloats.write(l.updaterState(), out);
        out.writeInt(l.iterationCount());
        out.writeInt(l.epochCount());
        out.writeInt(l.pending().size());
        TrainingFamily family = TrainingFamilies.byId(l.kind());
        for (Serializable e : l.pending()) {
            family.writePending(e, out);
        }
        out.writeLong(l.examplesSeen());
        out.writeInt(s.prequential().length);
        for (double d : s.prequential()) {
            out.writeDouble(d);
        }
        out.writeInt(s.labelCounts().size());
        for (Map.Entry<String, Long> e : s.labelCounts().entrySet()) {
            writeString(e.getKey(), out);
            out.writeLong(e.getValue());
        }
        writeStrings(s.baseSpec(), out);
        writeBytes(s.unsent(), out);
        out.writeLong(s.examplesAtSend());
        out.writeLong(s.fitsSinceSend());
        out.writeDouble(s.lastLoss());
        out.writeInt(s.nextOffsets().size());
        for (Map.Entry<TopicPartition, Long> e : s.nextOffsets().entrySet()) {
            writeString(e.getKey().topic(), out);
            out.writeInt(e.getKey().partition());
            out.writeLong(e.getValue());
        }
        out.writeInt(s.inFlight().size());
        for (byte[] delta : s.inFlight()) {
            writeBytes(delta, out);
        }
        out.writeLong(s.syncEpoch());
    }

    @Override
    public DeltaLearnerState deserialize(DataInputView in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException(
                    "data-parallel learner state format "
                            + format
                            + " is unknown; this build reads "
                            + FORMAT);
        }
        String id = in.readUTF();
        String kind = in.readUTF();
        Map<String, String> spec = readStrings(in);
        float[] params = StateFloats.read(in);
        float[] updater = StateFloats.read(in);
        int iterations = in.readInt();
        int epochs = in.readInt();
        int pendingCount = in.readInt();
        List<Serializable> pending = new ArrayList<>(pendingCount);
        TrainingFamily family = TrainingFamilies.byId(kind);
        for (int i = 0; i < pendingCount; i++) {
            pending.add(family.readPending(in));
        }
        LearnerSnapshot learner =
                new LearnerSnapshot(
                        kind, spec, params, updater, iterations, epochs, pending, in.readLong());
        double[] prequential = new double[in.readInt()];
        for (int i = 0; i < prequential.length; i++) {
            prequential[i] = in.readDouble();
        }
        int labels = in.readInt();
        Map<String, Long> labelCounts = new LinkedHashMap<>();
        for (int i = 0; i < labels; i++) {
            labelCounts.put(readString(in), in.readLong());
        }
        Map<String, String> baseSpec = readStrings(in);
        byte[] unsent = readBytes(in);
        long examplesAtSend = in.readLong();
        long fitsSinceSend = in.readLong();
        double lastLoss = in.readDouble();
        int partitions = in.readInt();
        Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();
        for (int i = 0; i < partitions; i++) {
            nextOffsets.put(new TopicPartition(readString(in), in.readInt()), in.readLong());
        }
        int sends = in.readInt();
        List<byte[]> inFlight = new ArrayList<>(sends);
        for (int i = 0; i < sends; i++) {
            inFlight.add(readBytes(in));
        }
        return new DeltaLearnerState(
                id,
                learner,
                prequential,
                labelCounts,
                baseSpec,
                null,
                unsent,
                examplesAtSend,
                fitsSinceSend,
                lastLoss,
                nextOffsets,
                inFlight,
                in.readLong());
    }

    @Override
    public DeltaLearnerState deserialize(DeltaLearnerState reuse, DataInputView in)
            throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<DeltaLearnerState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No parameters: the format number inside each value versions the layout. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DeltaLearnerState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    private static void writeStrings(Map<String, String> map, DataOutputView out)
            throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue(), out);
        }
    }

    private static Map<String, String> readStrings(DataInputView in) throws IOException {
        int n = in.readInt();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(readString(in), readString(in));
        }
        return map;
    }

    // writeUTF stops at 64 KiB; a label list may be longer.
    private static void writeString(String s, DataOutputView out) throws IOException {
        writeBytes(s.getBytes(StandardCharsets.UTF_8), out);
    }

    private static String readString(DataInputView in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static void writeBytes(byte[] b, DataOutputView out) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }
}
