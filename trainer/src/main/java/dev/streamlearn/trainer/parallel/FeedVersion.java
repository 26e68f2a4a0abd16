package dev.streamlearn.trainer.parallel;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A state of the combined weights G as the combiner feeds it back to the learners: numbered {@code
 * sequence} within the combiner's {@code epoch} (a random number drawn each time the combiner
 * opens, so a learner restored from a checkpoint tells the new combiner's states from those the
 * failed one sent after it), and either G whole (rows null) or only the embedding rows that changed
 * since the state numbered one lower, with the head whole. A light one is applied only on top of
 * its predecessor; a learner that missed one asks for a whole one.
 *
 * <p>Values are G's, not changes: a learner sets its view of each row to G's value plus its own
 * sends still in flight, so a send it took as included too early is corrected by the next state
 * that carries its rows.
 *
 * @param epoch the combiner's epoch
 * @param sequence the state's number within the epoch, from 1
 * @param spec G's spec: its labels, in slot order, and slots
 * @param rows the embedding rows carried, ascending; null when G travels whole
 * @param values G whole, or the carried rows' values ({@code rows.length × D}) followed by the head
 * @param sourceOffsets per input partition, the highest next offset of the deltas G includes
 */
record FeedVersion(
        long epoch,
        long sequence,
        ModelSpec spec,
        int[] rows,
        float[] values,
        Map<TopicPartition, Long> sourceOffsets) {

    /** Format of {@link #encode}: bump when it changes. */
    private static final int FORMAT = 1;

    /** G whole, as state {@code sequence} of epoch 0: how tests and simulations feed a learner. */
    FeedVersion(long sequence, ModelWeights weights, Map<TopicPartition, Long> sourceOffsets) {
        this(0, sequence, weights.spec(), null, weights.params(), sourceOffsets);
    }

    /** G ({@code params}, laid out for {@code spec}) whole. */
    static FeedVersion whole(
            long epoch,
            long sequence,
            ModelSpec spec,
            float[] params,
            Map<TopicPartition, Long> sourceOffsets) {
        return new FeedVersion(
                epoch, sequence, spec, null, params.clone(), new LinkedHashMap<>(sourceOffsets));
    }

    /** G's {@code rows} (ascending) and head, from {@code params} laid out for {@code spec}. */
    static FeedVersion rows(
            long epoch,
            long sequence,
            ModelSpec spec,
            float[] params,
            int[] rows,
            Map<TopicPartition, Long> sourceOffsets) {
        int dim = TextColumns.dim(spec);
        int offset = TextColumns.headOffset(spec);
        int head = params.length - offset;
        float[] values = new float[rows.length * dim + head];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(params, rows[i] * dim, values, i * dim, dim);
        }
        System.arraycopy(params, offset, values, rows.length * dim, head);
        return new FeedVersion(
                epoch, sequence, spec, rows.clone(), values, new LinkedHashMap<>(sourceOffsets));
    }

    boolean whole() {
        return rows == null;
    }

    /** G, when it travels whole. */
    ModelWeights weights() {
        if (!whole()) {
            throw new IllegalStateException("state " + sequence + " carries only changed rows");
        }
        return new ModelWeights(spec, values);
    }

    /** Where the head starts in {@link #values}. */
    int headStart() {
        return whole() ? TextColumns.headOffset(spec) : rows.length * TextColumns.dim(spec);
    }

    byte[] encode() {
        ByteArrayOutputStream header = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(header)) {
            out.writeInt(FORMAT);
            out.writeLong(epoch);
            out.writeLong(sequence);
            out.writeUTF(spec.kind().id());
            Map<String, String> s = spec.toMap();
            out.writeInt(s.size());
            for (Map.Entry<String, String> e : s.entrySet()) {
                out.writeUTF(e.getKey());
                byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
                out.writeInt(v.length);
                out.write(v);
            }
            out.writeInt(sourceOffsets.size());
            for (Map.Entry<TopicPartition, Long> e : sourceOffsets.entrySet()) {
                out.writeUTF(e.getKey().topic());
                out.writeInt(e.getKey().partition());
                out.writeLong(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] h = header.toByteArray();
        int rowCount = whole() ? -1 : rows.length;
        ByteBuffer buffer =
                ByteBuffer.allocate(h.length + 8 + 4 * Math.max(rowCount, 0) + 4 * values.length);
        buffer.put(h);
        buffer.putInt(rowCount);
        if (!whole()) {
            buffer.asIntBuffer().put(rows);
            buffer.position(buffer.position() + 4 * rows.length);
        }
        buffer.putInt(values.length);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    static FeedVersion decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int format = in.getInt();
        if (format != FORMAT) {
            throw new IllegalArgumentException(
                    "fed-back state of format " + format + ", expected " + FORMAT);
        }
        long epoch = in.getLong();
        long sequence = in.getLong();
        String kind = utf(in);
        int entries = in.getInt();
        Map<String, String> s = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            String key = utf(in);
            byte[] v = new byte[in.getInt()];
            in.get(v);
            s.put(key, new String(v, StandardCharsets.UTF_8));
        }
        ModelSpec spec = ModelSpec.fromMap(ModelFamilies.byId(kind), s);
        int partitions = in.getInt();
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (int i = 0; i < partitions; i++) {
            String topic = utf(in);
            int partition = in.getInt();
            offsets.put(new TopicPartition(topic, partition), in.getLong());
        }
        int rowCount = in.getInt();
        int[] rows = null;
        if (rowCount >= 0) {
            rows = new int[rowCount];
            in.asIntBuffer().get(rows);
            in.position(in.position() + 4 * rowCount);
        }
        float[] values = new float[in.getInt()];
        in.asFloatBuffer().get(values);
        return new FeedVersion(epoch, sequence, spec, rows, values, offsets);
    }

    /** What {@link DataOutputStream#writeUTF} wrote. */
    private static String utf(ByteBuffer in) {
        byte[] b = new byte[in.getShort() & 0xFFFF];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
