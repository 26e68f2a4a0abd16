package dev.streamlearn.trainer.parallel;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.spec.ModelSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.kafka.common.TopicPartition;

/**
 * The checkpoint format of a {@link Combiner}: a format number, G's spec and weights (floats in
 * bulk as raw bits, so a restore is exact), the version counter and publish bookkeeping, the
 * offsets included and each learner's newest metrics. Written by hand rather than by Java
 * serialization, which ties checkpoints to the class's internals.
 */
final class CombinerSerializer extends TypeSerializerSingleton<Combiner> {
    static final CombinerSerializer INSTANCE = new CombinerSerializer();
    private static final int FORMAT = 1;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Combiner createInstance() {
        return null;
    }

    @Override
    public Combiner copy(Combiner from) {
        return from.copy();
    }

    @Override
    public Combiner copy(Combiner from, Combiner reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Combiner c, DataOutputView out) throws IOException {
        out.writeInt(FORMAT);
        ModelSpec spec = c.spec();
        out.writeUTF(spec.kind().id());
        Map<String, String> s = spec.toMap();
        out.writeInt(s.size());
        for (Map.Entry<String, String> e : s.entrySet()) {
            out.writeUTF(e.getKey());
            writeString(e.getValue(), out);
        }
        StateFloats.write(c.params(), out);
        out.writeLong(c.lastVersion);
        out.writeLong(c.examples);
        out.writeLong(c.fitsSincePublish);
        out.writeLong(c.examplesAtLastPublish);
        out.writeLong(c.lastPublishAt);
        out.writeLong(c.publishTimer);
        out.writeDouble(c.lastLoss);
        out.writeLong(c.lagMillis);
        out.writeInt(c.offsets().size());
        for (Map.Entry<TopicPartition, Long> e : c.offsets().entrySet()) {
            out.writeUTF(e.getKey().topic());
            out.writeInt(e.getKey().partition());
            out.writeLong(e.getValue());
        }
        out.writeInt(c.learnerMetrics().size());
        for (Map.Entry<String, Map<String, Double>> e : c.learnerMetrics().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().size());
            for (Map.Entry<String, Double> m : e.getValue().entrySet()) {
                out.writeUTF(m.getKey());
                out.writeDouble(m.getValue());
            }
        }
    }

    @Override
    public Combiner deserialize(DataInputView in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException(
                    "combiner state format " + format + " is unknown; this build reads " + FORMAT);
        }
        String kind = in.readUTF();
        int entries = in.readInt();
        Map<String, String> s = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            s.put(in.readUTF(), readString(in));
        }
        ModelSpec spec = ModelSpec.fromMap(ModelFamilies.byId(kind), s);
        float[] params = StateFloats.read(in);
        long lastVersion = in.readLong();
        long examples = in.readLong();
        long fitsSincePublish = in.readLong();
        long examplesAtLastPublish = in.readLong();
        long lastPublishAt = in.readLong();
        long publishTimer = in.readLong();
        double lastLoss = in.readDouble();
        long lagMillis = in.readLong();
        int partitions = in.readInt();
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (int i = 0; i < partitions; i++) {
            offsets.put(new TopicPartition(in.readUTF(), in.readInt()), in.readLong());
        }
        int learners = in.readInt();
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        for (int i = 0; i < learners; i++) {
            String learner = in.readUTF();
            int n = in.readInt();
            Map<String, Double> m = new LinkedHashMap<>();
            for (int j = 0; j < n; j++) {
                m.put(in.readUTF(), in.readDouble());
            }
            metrics.put(learner, m);
        }
        Combiner c = new Combiner(spec, params, offsets, metrics);
        c.lastVersion = lastVersion;
        c.examples = examples;
        c.fitsSincePublish = fitsSincePublish;
        c.examplesAtLastPublish = examplesAtLastPublish;
        c.lastPublishAt = lastPublishAt;
        c.publishTimer = publishTimer;
        c.lastLoss = lastLoss;
        c.lagMillis = lagMillis;
        return c;
    }

    @Override
    public Combiner deserialize(Combiner reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<Combiner> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No parameters: the format number inside each value versions the layout. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Combiner> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    // writeUTF stops at 64 KiB; a label list may be longer.
    private static void writeString(String s, DataOutputView out) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputView in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
