package dev.streamlearn.trainer.parallel;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.spec.ModelSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What one learner learned since its previous send: its parameters now minus its parameters then,
 * sparse where the model is sparse (only the embedding rows that changed; the head whole), in the
 * learner's own label order ({@code spec}, whose labels name the head's columns), with the
 * bookkeeping the combined version needs.
 *
 * @param model the model name
 * @param learner the sending learner's id (stable across its restores)
 * @param spec the learner's spec at the send: its labels, in slot order, and slots
 * @param rows the embedding rows that changed, ascending
 * @param rowValues their changes, {@code rows.length × D}, row after row
 * @param head the change of the head ({@code 2_W} then {@code 2_b}), in {@code spec}'s layout
 * @param examples examples the learner accepted since its previous send
 * @param fits mini-batches it fitted since then
 * @param nextOffsets per input partition the learner reads, one past the last record consumed
 * @param metrics the learner's prequential metrics (over all it has tested)
 * @param lastLoss the loss of its last fitted mini-batch, NaN if none
 * @param lagMillis processing time minus the append time of its newest example, -1 if unknown
 * @param urgent whether the learner waits for a combined state that includes this delta (it reached
 *     its staleness bound); every delta is fed back at once, so it is only recorded
 * @param wantsFull whether the learner is out of step with the combined states and needs G whole
 */
record Delta(
        String model,
        String learner,
        ModelSpec spec,
        int[] rows,
        float[] rowValues,
        float[] head,
        long examples,
        long fits,
        Map<TopicPartition, Long> nextOffsets,
        Map<String, Double> metrics,
        double lastLoss,
        long lagMillis,
        boolean urgent,
        boolean wantsFull) {

    /** Format of {@link #encode}: bump when it changes. */
    private static final int FORMAT = 1;

    /**
     * The change from {@code base} to {@code local}, both laid out for {@code spec}: the embedding
     * rows with any changed value, and the whole head.
     */
    static Delta between(
            String model,
            String learner,
            ModelSpec spec,
            float[] local,
            float[] base,
            long examples,
            long fits,
            Map<TopicPartition, Long> nextOffsets,
            Map<String, Double> metrics,
            double lastLoss,
            long lagMillis,
            boolean urgent,
            boolean wantsFull) {
        int dim = TextColumns.dim(spec);
        int vocab = TextColumns.vocab(spec);
        int[] changed = new int[vocab];
        int n = 0;
        for (int r = 0; r < vocab; r++) {
            int at = r * dim;
            for (int d = 0; d < dim; d++) {
                if (local[at + d] != base[at + d]) {
                    changed[n++] = r;
                    break;
                }
            }
        }
        int[] rows = java.util.Arrays.copyOf(changed, n);
        float[] values = new float[n * dim];
        for (int i = 0; i < n; i++) {
            int at = rows[i] * dim;
            for (int d = 0; d < dim; d++) {
                values[i * dim + d] = local[at + d] - base[at + d];
            }
        }
        int offset = TextColumns.headOffset(spec);
        float[] head = new float[local.length - offset];
        for (int i = 0; i < head.length; i++) {
            head[i] = local[offset + i] - base[offset + i];
        }
        return new Delta(
                model,
                learner,
                spec,
                rows,
                values,
                head,
                examples,
                fits,
                new LinkedHashMap<>(nextOffsets),
                new LinkedHashMap<>(metrics),
                lastLoss,
                lagMillis,
                urgent,
                wantsFull);
    }

    /**
     * Adds this change times {@code scale} into {@code params}, laid out for {@code to} (which has
     * this delta's embedding and, by name, its labels), row by changed row and column by label.
     */
    void addTo(ModelSpec to, float[] params, float scale) {
        int dim = TextColumns.dim(to);
        for (int i = 0; i < rows.length; i++) {
            int at = rows[i] * dim;
            for (int d = 0; d < dim; d++) {
                params[at + d] += scale * rowValues[i * dim + d];
            }
        }
        TextColumns.addHead(spec, head, to, params, TextColumns.headOffset(to), scale);
    }

    /** The change as a dense array laid out for {@link #spec}. */
    float[] dense() {
        int dim = TextColumns.dim(spec);
        int offset = TextColumns.headOffset(spec);
        float[] all = new float[offset + head.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rowValues, i * dim, all, rows[i] * dim, dim);
        }
        System.arraycopy(head, 0, all, offset, head.length);
        return all;
    }

    /**
     * The delta's bytes: a header written field by field, the rows and floats in bulk (big-endian,
     * as {@link DataOutputStream} writes them), the bookkeeping after.
     */
    byte[] encode() {
        ByteArrayOutputStream header = new ByteArrayOutputStream(256);
        ByteArrayOutputStream trailer = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(header);
                DataOutputStream tail = new DataOutputStream(trailer)) {
            out.writeInt(FORMAT);
            out.writeUTF(model);
            out.writeUTF(learner);
            out.writeUTF(spec.kind().id());
            Map<String, String> s = spec.toMap();
            out.writeInt(s.size());
            for (Map.Entry<String, String> e : s.entrySet()) {
                out.writeUTF(e.getKey());
                writeString(out, e.getValue());
            }
            tail.writeLong(examples);
            tail.writeLong(fits);
            tail.writeInt(nextOffsets.size());
            for (Map.Entry<TopicPartition, Long> e : nextOffsets.entrySet()) {
                tail.writeUTF(e.getKey().topic());
                tail.writeInt(e.getKey().partition());
                tail.writeLong(e.getValue());
            }
            tail.writeInt(metrics.size());
            for (Map.Entry<String, Double> e : metrics.entrySet()) {
                tail.writeUTF(e.getKey());
                tail.writeDouble(e.getValue());
            }
            tail.writeDouble(lastLoss);
            tail.writeLong(lagMillis);
            tail.writeBoolean(urgent);
            tail.writeBoolean(wantsFull);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer bytes =
                ByteBuffer.allocate(
                        header.size()
                                + 12
                                + 4 * (rows.length + rowValues.length + head.length)
                                + trailer.size());
        bytes.put(header.toByteArray());
        bytes.putInt(rows.length);
        bytes.asIntBuffer().put(rows);
        bytes.position(bytes.position() + 4 * rows.length);
        putFloats(bytes, rowValues);
        putFloats(bytes, head);
        bytes.put(trailer.toByteArray());
        return bytes.array();
    }

    static Delta decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException(
                        "delta of format " + format + ", expected " + FORMAT);
            }
            String model = in.readUTF();
            String learner = in.readUTF();
            String kind = in.readUTF();
            int entries = in.readInt();
            Map<String, String> s = new LinkedHashMap<>();
            for (int i = 0; i < entries; i++) {
                s.put(in.readUTF(), readString(in));
            }
            ModelSpec spec = ModelSpec.fromMap(ModelFamilies.byId(kind), s);
            // The arrays in bulk from the buffer, then the stream on after them.
            buffer.position(bytes.length - in.available());
            int[] rows = new int[buffer.getInt()];
            buffer.asIntBuffer().get(rows);
            buffer.position(buffer.position() + 4 * rows.length);
            float[] rowValues = getFloats(buffer);
            float[] head = getFloats(buffer);
            in.skipNBytes(buffer.position() - (bytes.length - in.available()));
            long examples = in.readLong();
            long fits = in.readLong();
            int partitions = in.readInt();
            Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
            for (int i = 0; i < partitions; i++) {
                offsets.put(new TopicPartition(in.readUTF(), in.readInt()), in.readLong());
            }
            int metricCount = in.readInt();
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (int i = 0; i < metricCount; i++) {
                metrics.put(in.readUTF(), in.readDouble());
            }
            return new Delta(
                    model,
                    learner,
                    spec,
                    rows,
                    rowValues,
                    head,
                    examples,
                    fits,
                    offsets,
                    metrics,
                    in.readDouble(),
                    in.readLong(),
                    in.readBoolean(),
                    in.readBoolean());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putFloats(ByteBuffer bytes, float[] values) {
        bytes.putInt(values.length);
        bytes.asFloatBuffer().put(values);
        bytes.position(bytes.position() + 4 * values.length);
    }

    private static float[] getFloats(ByteBuffer bytes) {
        float[] values = new float[bytes.getInt()];
        bytes.asFloatBuffer().get(values);
        bytes.position(bytes.position() + 4 * values.length);
        return values;
    }

    // writeUTF stops at 64 KiB; a label list may be longer.
    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
