package dev.streamlearn.trainer.state;

import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.family.TrainingFamily;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
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
 * The checkpoint format of {@link LearnerState}: explicit fields, floats as raw bits (so a restore
 * is bitwise exact), a format number first so a later layout can still read this one. Written by
 * hand rather than left to Kryo, whose generic fallback would tie checkpoints to class internals.
 * Format 2 added the drift watch's state after the prequential sums, with its own format number;
 * format 1 is still read (its watch, if any, rides at the end of the sums).
 */
public final class LearnerStateSerializer extends TypeSerializerSingleton<LearnerState> {
    public static final LearnerStateSerializer INSTANCE = new LearnerStateSerializer();
    private static final int FORMAT = 2;

    /** Without the drift watch's field. */
    private static final int FORMAT_1 = 1;

    @Override
    public boolean isImmutableType() {
        // Never mutated once built: the operator builds a new one at every snapshot.
        return true;
    }

    @Override
    public LearnerState createInstance() {
        return null;
    }

    @Override
    public LearnerState copy(LearnerState from) {
        return from;
    }

    @Override
    public LearnerState copy(LearnerState from, LearnerState reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(LearnerState s, DataOutputView out) throws IOException {
        out.writeInt(FORMAT);
        LearnerSnapshot l = s.learner();
        out.writeUTF(l.kind());
        writeStrings(l.spec(), out);
        writeFloats(l.params(), out);
        writeFloats(l.updaterState(), out);
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
        out.writeInt(s.driftFormat());
        out.writeInt(s.drift().length);
        for (double d : s.drift()) {
            out.writeDouble(d);
        }
        out.writeInt(s.labelCounts().size());
        for (Map.Entry<String, Long> e : s.labelCounts().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeLong(s.lastVersion());
        out.writeLong(s.fitsSincePublish());
        out.writeDouble(s.lastLoss());
        out.writeLong(s.examplesAtLastPublish());
        out.writeLong(s.lastPublishAt());
        out.writeLong(s.publishTimer());
        out.writeInt(s.nextOffsets().size());
        for (Map.Entry<TopicPartition, Long> e : s.nextOffsets().entrySet()) {
            out.writeUTF(e.getKey().topic());
            out.writeInt(e.getKey().partition());
            out.writeLong(e.getValue());
        }
    }

    @Override
    public LearnerState deserialize(DataInputView in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT && format != FORMAT_1) {
            throw new IOException(
                    "learner state format "
                            + format
                            + " is unknown; this build reads "
                            + FORMAT_1
                            + " and "
                            + FORMAT);
        }
        String kind = in.readUTF();
        Map<String, String> spec = readStrings(in);
        float[] params = readFloats(in);
        float[] updater = readFloats(in);
        int iterations = in.readInt();
        int epochs = in.readInt();
        int pendingCount = in.readInt();
        List<Serializable> pending = new ArrayList<>(pendingCount);
        TrainingFamily family = TrainingFamilies.byId(kind);
        for (int i = 0; i < pendingCount; i++) {
            pending.add(family.readPending(in));
        }
        long examplesSeen = in.readLong();
        LearnerSnapshot learner =
                new LearnerSnapshot(
                        kind, spec, params, updater, iterations, epochs, pending, examplesSeen);
        double[] prequential = new double[in.readInt()];
        for (int i = 0; i < prequential.length; i++) {
            prequential[i] = in.readDouble();
        }
        int driftFormat = 0;
        double[] drift = new double[0];
        if (format >= 2) {
            driftFormat = in.readInt();
            drift = new double[in.readInt()];
            for (int i = 0; i < drift.length; i++) {
                drift[i] = in.readDouble();
            }
        }
        int labels = in.readInt();
        Map<String, Long> labelCounts = new LinkedHashMap<>();
        for (int i = 0; i < labels; i++) {
            labelCounts.put(in.readUTF(), in.readLong());
        }
        long lastVersion = in.readLong();
        long fitsSincePublish = in.readLong();
        double lastLoss = in.readDouble();
        long examplesAtLastPublish = in.readLong();
        long lastPublishAt = in.readLong();
        long publishTimer = in.readLong();
        int offsets = in.readInt();
        Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();
        for (int i = 0; i < offsets; i++) {
            nextOffsets.put(new TopicPartition(in.readUTF(), in.readInt()), in.readLong());
        }
        return new LearnerState(
                learner,
                prequential,
                driftFormat,
                drift,
                labelCounts,
                lastVersion,
                fitsSincePublish,
                lastLoss,
                examplesAtLastPublish,
                lastPublishAt,
                publishTimer,
                nextOffsets);
    }

    @Override
    public LearnerState deserialize(LearnerState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<LearnerState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No parameters: the format number inside each value versions the layout. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<LearnerState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    private static void writeFloats(float[] values, DataOutputView out) throws IOException {
        // In bulk: a text model's state is millions of floats, written at every checkpoint.
        // FloatBuffer.put keeps the raw bits (NaN payloads included), so restores are exact.
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
        bytes.asFloatBuffer().put(values);
        out.writeInt(values.length);
        out.write(bytes.array());
    }

    private static float[] readFloats(DataInputView in) throws IOException {
        float[] values = new float[in.readInt()];
        byte[] bytes = new byte[values.length * Float.BYTES];
        in.readFully(bytes);
        ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
        return values;
    }

    private static void writeStrings(Map<String, String> map, DataOutputView out)
            throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static Map<String, String> readStrings(DataInputView in) throws IOException {
        int n = in.readInt();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(in.readUTF(), in.readUTF());
        }
        return map;
    }
}
