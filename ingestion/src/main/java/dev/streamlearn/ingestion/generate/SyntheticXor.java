package dev.streamlearn.ingestion.generate;

import dev.streamlearn.schemas.avro.VectorEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Noisy XOR points, labelled: each point is one of the four corners (±1, ±1) chosen at random, plus
 * Gaussian noise of {@code noise} on each coordinate; its label is {@code same} when the corner's
 * two signs agree and {@code different} when they do not. No line separates the classes (the
 * textbook case a single-layer model cannot learn and a network with one hidden layer can); with
 * noise 0.3 fewer than one point in a thousand crosses to the other corner's side, so a model can
 * approach 100%. One point every 100 ms of event time. The same seed gives the same stream.
 */
public final class SyntheticXor implements Iterator<VectorEvent> {
    public static final String SAME = "same";
    public static final String DIFFERENT = "different";

    private final Random random;
    private final long count;
    private final double noise;
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private long n;

    /**
     * @param noise the standard deviation of the noise on each coordinate
     * @throws IllegalArgumentException if {@code noise} is negative or not finite
     */
    public SyntheticXor(long seed, long count, double noise) {
        if (!(noise >= 0) || !Double.isFinite(noise)) {
            throw new IllegalArgumentException(
                    "XOR noise = " + noise + ", expected a finite number >= 0");
        }
        this.random = new Random(seed);
        this.count = count;
        this.noise = noise;
    }

    @Override
    public boolean hasNext() {
        return n < count;
    }

    @Override
    public VectorEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        double a = random.nextBoolean() ? 1 : -1;
        double b = random.nextBoolean() ? 1 : -1;
        List<Double> features =
                List.of(a + noise * random.nextGaussian(), b + noise * random.nextGaussian());
        VectorEvent event =
                new VectorEvent(
                        "xor-" + n,
                        start.plus(Duration.ofMillis(100 * n)),
                        features,
                        a == b ? SAME : DIFFERENT);
        n++;
        return event;
    }
}
