package dev.streamlearn.models.gate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text family's naive baseline for the promotion gate: the majority class, with the recent
 * label frequencies as its probabilities (River's {@code dummy.PriorClassifier}). Its 0/1 error is
 * the majority class's; its cross-entropy is the entropy of the label mix, what a classifier that
 * reads nothing of the text would lose. Counts halve every {@value #HALF_LIFE} events, so the mix
 * follows the stream; it is tested on each event before it learns the event's label, as the
 * versions are (prequential).
 *
 * <p>Mutable, not thread-safe; {@link #encode} and {@link #decode} carry it through a store.
 */
public final class LabelPrior {
    /** Events after which a label's count has decayed to half. */
    public static final int HALF_LIFE = 1_000;

    private static final double KEEP = Math.pow(0.5, 1.0 / HALF_LIFE);
    private static final byte FORMAT = 1;

    private final Map<String, Double> counts;

    public LabelPrior() {
        this(new LinkedHashMap<>());
    }

    private LabelPrior(Map<String, Double> counts) {
        this.counts = counts;
    }

    /**
     * The baseline's probability of {@code label}, one of {@code labels} possible ones: its decayed
     * count plus one over the total plus {@code labels} (Laplace), so a label not seen yet is
     * possible and the first event costs {@code ln labels}.
     */
    public double probability(String label, int labels) {
        double total = 0;
        for (double c : counts.values()) {
            total += c;
        }
        int possible = Math.max(1, Math.max(labels, counts.size()));
        return (counts.getOrDefault(label, 0.0) + 1) / (total + possible);
    }

    /** Learns one event's label. */
    public void learn(String label) {
        counts.replaceAll((l, c) -> c * KEEP);
        counts.merge(label, 1.0, Double::sum);
    }

    public byte[] encode() {
        int size = 1 + Integer.BYTES;
        Map<String, byte[]> names = new LinkedHashMap<>();
        for (String label : counts.keySet()) {
            byte[] name = label.getBytes(StandardCharsets.UTF_8);
            names.put(label, name);
            size += Integer.BYTES + name.length + Double.BYTES;
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(FORMAT).putInt(counts.size());
        names.forEach(
                (label, name) -> b.putInt(name.length).put(name).putDouble(counts.get(label)));
        return b.array();
    }

    /** A prior from {@link #encode}'s bytes; a new one for null. */
    public static LabelPrior decode(byte[] bytes) {
        if (bytes == null) {
            return new LabelPrior();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte format = b.get();
        if (format != FORMAT) {
            throw new IllegalStateException(
                    "label prior format " + format + ", expected " + FORMAT);
        }
        int n = b.getInt();
        Map<String, Double> counts = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            byte[] name = new byte[b.getInt()];
            b.get(name);
            counts.put(new String(name, StandardCharsets.UTF_8), b.getDouble());
        }
        return new LabelPrior(counts);
    }
}
