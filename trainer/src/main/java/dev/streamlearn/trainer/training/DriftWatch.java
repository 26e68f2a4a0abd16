package dev.streamlearn.trainer.training;

import dev.streamlearn.models.drift.Adwin;
import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.pipeline.DeclaredModel.DriftPolicy;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.Learner;
import java.util.Arrays;
import java.util.Map;

/**
 * Drift detection on one model's live loss, wired to an action (issue 17 item 5;
 * docs/ARCHITECTURE.md, "Drift"). Each example's loss under the weights before it is learned — the
 * prequential test the trainer makes anyway ({@link DriftLosses}) — goes to an {@link Adwin}
 * detector. On a detected rise the learner relearns faster: {@link Learner#scaleLearningRate} by
 * {@code boostFactor} for the next {@code boostExamples} examples, then back to 1 (measured against
 * restarting the optimizer and against a fresh model: BENCHMARKS.md, "Drift"). Then the detector is
 * left unfed for a cooldown, so the action's own effect on the loss is not taken for another
 * change; a model's first {@code warmUp} examples are not watched either, since a model still
 * learning from scratch has nothing to drift from. Each detection is kept with its evidence ({@link
 * Detection}) and counted in the model's metrics ({@code drift.*}).
 *
 * <p>Deterministic; {@link #state} and {@link #restore} continue exactly, the boost included.
 */
public final class DriftWatch {
    /**
     * @param detector the ADWIN test on the loss (which lies in [0, 1])
     * @param warmUp examples of a model before its loss is watched
     * @param cooldown examples after a detection before the loss is watched again
     * @param boostFactor what the learning rate is multiplied by after a detection; 1 records the
     *     detection and does nothing
     * @param boostExamples for how many examples
     */
    public record Options(
            Adwin.Options detector,
            int warmUp,
            int cooldown,
            double boostFactor,
            int boostExamples) {
        /** How each default was chosen: BENCHMARKS.md, "Drift". */
        public static final double DEFAULT_DELTA = 1e-5;

        public static final int DEFAULT_WARM_UP = 500;
        public static final int DEFAULT_COOLDOWN = 500;
        public static final double DEFAULT_BOOST_FACTOR = 10;
        public static final int DEFAULT_BOOST_EXAMPLES = 500;

        public Options {
            if (warmUp < 0 || cooldown < 0 || boostExamples < 0) {
                throw new IllegalArgumentException(
                        "warmUp, cooldown and boostExamples must be >= 0, were "
                                + warmUp
                                + ", "
                                + cooldown
                                + " and "
                                + boostExamples);
            }
            if (!(boostFactor > 0) || !Double.isFinite(boostFactor)) {
                throw new IllegalArgumentException(
                        "boostFactor must be positive, was " + boostFactor);
            }
        }

        public static Options defaults() {
            return new Options(
                    Adwin.Options.river().withDelta(DEFAULT_DELTA),
                    DEFAULT_WARM_UP,
                    DEFAULT_COOLDOWN,
                    DEFAULT_BOOST_FACTOR,
                    DEFAULT_BOOST_EXAMPLES);
        }

        /**
         * The defaults of a family: a classifier relearns its head faster after a drift; a
         * forecaster's drifts are recorded and nothing more, since its windows are normalised and
         * it follows a level shift within a window on its own, and a faster LSTM only added error
         * there (BENCHMARKS.md, "Drift").
         */
        public static Options defaults(ModelSpec spec) {
            return spec.kind() == LstmForecasterFamily.INSTANCE
                    ? defaults().withBoost(1, 0)
                    : defaults();
        }

        public Options withDelta(double delta) {
            return new Options(
                    detector.withDelta(delta), warmUp, cooldown, boostFactor, boostExamples);
        }

        public Options withBoost(double factor, int examples) {
            return new Options(detector, warmUp, cooldown, factor, examples);
        }

        public Options withCooldown(int examples) {
            return new Options(detector, warmUp, examples, boostFactor, boostExamples);
        }

        /** These options with what {@code policy} sets (a pipeline file's {@code drift}). */
        public Options with(DriftPolicy policy) {
            Options o = this;
            if (policy.delta() != null) {
                o = o.withDelta(policy.delta());
            }
            if (policy.cooldown() != null) {
                o = o.withCooldown(policy.cooldown());
            }
            return o;
        }
    }

    /**
     * One detected drift and what was done.
     *
     * @param example the model's example (counted from 1) whose loss completed the detection
     * @param statistic how far the recent window's mean loss rose over the older one's
     * @param sinceChange examples since the change began, as the detector estimates it
     * @param boostFactor the learning rate's factor from then on
     * @param boostExamples for how many examples
     */
    public record Detection(
            long example,
            double statistic,
            long sinceChange,
            double boostFactor,
            int boostExamples) {
        /** The action in words, for records a person reads. */
        public String action() {
            return boostFactor == 1
                    ? "none (recorded only)"
                    : "learning rate x" + boostFactor + " for " + boostExamples + " examples";
        }
    }

    /**
     * The layout of {@link #state}, written beside it in checkpoints: nine numbers (examples,
     * detections, quiet until, boost left, whether there was a detection and its example,
     * statistic, examples since the change and boost factor), then the ADWIN detector's own state.
     */
    public static final int STATE_FORMAT = 1;

    private static final int HEADER = 9;

    private Options options;
    private Adwin detector;
    private long examples;
    private long detections;
    private long quietUntil;
    private long boostLeft;
    private Detection last;

    public DriftWatch(Options options) {
        this.options = options;
        this.detector = new Adwin(options.detector());
        this.quietUntil = options.warmUp();
    }

    /**
     * Watches the loss of the next example before {@code learner} learns it; on a detection, boosts
     * the learner's learning rate and returns the detection, else null. Ends a boost that has run
     * its examples.
     *
     * @param loss in [0, 1] (clipped); NaN is counted but not watched
     */
    public Detection watch(double loss, Learner learner) {
        examples++;
        if (boostLeft > 0 && --boostLeft == 0) {
            learner.scaleLearningRate(1);
        }
        if (examples <= quietUntil || Double.isNaN(loss)) {
            return null;
        }
        if (!detector.add(Math.min(1, Math.max(0, loss)))) {
            return null;
        }
        last =
                new Detection(
                        examples,
                        detector.statistic(),
                        detector.sinceChange(),
                        options.boostFactor(),
                        options.boostExamples());
        detections++;
        quietUntil = examples + options.cooldown();
        detector = new Adwin(options.detector());
        if (options.boostFactor() != 1 && options.boostExamples() > 0) {
            learner.scaleLearningRate(options.boostFactor());
            boostLeft = options.boostExamples();
        }
        return last;
    }

    /** Sets a restored learner's learning rate as this watch has it (boosted or not). */
    public void resume(Learner learner) {
        if (boostLeft > 0) {
            learner.scaleLearningRate(options.boostFactor());
        }
    }

    public Options options() {
        return options;
    }

    /**
     * Watches on with other options, keeping what was watched: the detector's window (its test's
     * delta is the new one), the counters, the cooldown and boost under way.
     */
    public void reconfigure(Options newOptions) {
        double[] detectorState = detector.state();
        options = newOptions;
        detector = new Adwin(newOptions.detector());
        detector.restore(detectorState);
    }

    public long detections() {
        return detections;
    }

    /** The last detection, or null before the first. */
    public Detection last() {
        return last;
    }

    /**
     * {@code drift.detections}, {@code drift.boostedExamplesLeft}, and the last detection's
     * example, statistic and estimate of examples since the change.
     */
    public void putMetrics(Map<String, Double> metrics) {
        metrics.put("drift.detections", (double) detections);
        metrics.put("drift.boostedExamplesLeft", (double) boostLeft);
        if (last != null) {
            metrics.put("drift.lastExample", (double) last.example());
            metrics.put("drift.lastStatistic", last.statistic());
            metrics.put("drift.lastSinceChange", (double) last.sinceChange());
        }
    }

    /** Counters, the last detection, then the detector's own state ({@link #STATE_FORMAT}). */
    public double[] state() {
        double[] detectorState = detector.state();
        double[] state = new double[HEADER + detectorState.length];
        state[0] = examples;
        state[1] = detections;
        state[2] = quietUntil;
        state[3] = boostLeft;
        if (last != null) {
            state[4] = 1;
            state[5] = last.example();
            state[6] = last.statistic();
            state[7] = last.sinceChange();
            state[8] = last.boostFactor();
        }
        System.arraycopy(detectorState, 0, state, HEADER, detectorState.length);
        return state;
    }

    /**
     * Continues from {@link #state}; then {@link #resume} the learner.
     *
     * @throws IllegalArgumentException if {@code state} is not a watch's
     */
    public void restore(double[] state) {
        if (state.length < HEADER) {
            throw new IllegalArgumentException(
                    "a drift watch's state has at least "
                            + HEADER
                            + " values, was "
                            + state.length);
        }
        examples = (long) state[0];
        detections = (long) state[1];
        quietUntil = (long) state[2];
        boostLeft = (long) state[3];
        last =
                state[4] == 0
                        ? null
                        : new Detection(
                                (long) state[5],
                                state[6],
                                (long) state[7],
                                state[8],
                                options.boostExamples());
        detector = new Adwin(options.detector());
        detector.restore(Arrays.copyOfRange(state, HEADER, state.length));
    }
}
