package dev.streamlearn.ingestion.generate;

import dev.streamlearn.schemas.avro.SeriesPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Random;

/**
 * A synthetic sensor for demos and tests, with known ground truth: a daily cycle plus Gaussian
 * noise, spikes injected at random (labelled anomalous), and a level shift at a known step after
 * which the series settles at a new mean (the first points after it are labelled anomalous too).
 * The same seed gives the same series.
 */
public final class SyntheticSeries implements Iterator<SyntheticSeries.Point> {
    /** A generated point and whether it is an injected anomaly. */
    public record Point(SeriesPoint point, boolean anomaly) {}

    private static final int PERIOD = 288; // one day of 5-minute readings
    private static final int SHIFT_LABELLED_STEPS = 5;

    private final String seriesId;
    private final Random random;
    private final long count;
    private final long levelShiftAt;
    private final double level;
    private final double amplitude;
    private final double noise;
    private final double spikeProbability;
    private final double shift;
    private final Instant start;
    private final Duration step;
    private long t;

    /**
     * @param levelShiftAt the step at which the level shifts, or -1 for none
     */
    public SyntheticSeries(String seriesId, long seed, long count, long levelShiftAt) {
        this.seriesId = seriesId;
        this.random = new Random(seed);
        this.count = count;
        this.levelShiftAt = levelShiftAt;
        this.level = 20 + random.nextDouble() * 5;
        this.amplitude = 2 + random.nextDouble();
        this.noise = 0.1;
        this.spikeProbability = 0.005;
        this.shift = 4;
        this.start = Instant.parse("2026-01-01T00:00:00Z");
        this.step = Duration.ofMinutes(5);
    }

    @Override
    public boolean hasNext() {
        return t < count;
    }

    @Override
    public Point next() {
        double value =
                level
                        + amplitude * Math.sin(2 * Math.PI * t / PERIOD)
                        + noise * random.nextGaussian();
        boolean anomaly = false;
        if (levelShiftAt >= 0 && t >= levelShiftAt) {
            value += shift;
            anomaly = t < levelShiftAt + SHIFT_LABELLED_STEPS;
        }
        if (random.nextDouble() < spikeProbability) {
            value += (random.nextBoolean() ? 1 : -1) * (8 + 4 * random.nextDouble()) * noise * 10;
            anomaly = true;
        }
        Instant at = start.plus(step.multipliedBy(t));
        t++;
        return new Point(new SeriesPoint(seriesId, at, value), anomaly);
    }
}
