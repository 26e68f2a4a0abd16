package dev.streamlearn.trainer.learning;

import dev.streamlearn.models.family.lstm.LstmForecasterModel;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.family.lstm.SeriesWindows;
import dev.streamlearn.models.spec.Engine;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.family.lstm.LstmForecasterTraining;
import dev.streamlearn.trainer.family.lstm.SeriesLearner;
import dev.streamlearn.trainer.training.ModelTrainer;
import dev.streamlearn.trainer.training.TrainingInput;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * The bare series learner loop ({@code offer}, fitting every full mini-batch) and the learner
 * operator's test-then-train loop ({@code SeriesTrainer.offer}) of both {@code lstm-forecaster}
 * engines side by side, on the same US births windows and the default spec (W=32, H=32, mini-batch
 * 8): each engine warmed up on 400 other windows in a learner of its own, then timed from a fresh
 * learner. A benchmark harness, not a test. From the repository root:
 *
 * <pre>
 * mvn -B -q -pl trainer dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * mvn -B -q -pl trainer test-compile
 * cd trainer &amp;&amp; OMP_NUM_THREADS=1 java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     dev.streamlearn.trainer.learning.SeriesLearnerBench 4000 3
 * </pre>
 *
 * (arguments: windows timed, rounds of the fast engine; DL4J runs one round). Prints Markdown.
 */
public final class SeriesLearnerBench {
    private static final int WARM_UP = 400;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        ModelSpec defaults = LstmForecasterSpec.defaults();
        int w = defaults.get(LstmForecasterSpec.WINDOW);
        double[] births = Datasets.series("us-births-1969-1988.csv", "births", 8000);
        SeriesWindows windows = new SeriesWindows(defaults);
        List<TrainingInput.SeriesExample> all = new ArrayList<>();
        for (int i = 0; i + w < births.length && all.size() < WARM_UP + count; i++) {
            NormalisedWindow nw = windows.normalise(births, i);
            all.add(
                    new TrainingInput.SeriesExample(
                            "bench",
                            new RecordOrigin("series-points", 0, i, 0, null, null),
                            "births",
                            i,
                            births[i + w],
                            nw.inputs(),
                            nw.last(),
                            nw.scale(),
                            nw.seasonal(),
                            Double.NaN,
                            Double.NaN));
        }
        List<TrainingInput.SeriesExample> warm = all.subList(0, WARM_UP);
        List<TrainingInput.SeriesExample> measured = all.subList(WARM_UP, all.size());
        System.out.println(
                "JVM "
                        + System.getProperty("java.version")
                        + ", "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores, OMP_NUM_THREADS="
                        + System.getenv("OMP_NUM_THREADS"));
        System.out.println(
                "| engine | loop | round | windows | windows/s (wall) | windows/s (thread CPU) |"
                        + " fits |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (String engine : List.of(Engine.FAST, Engine.DL4J)) {
            ModelSpec spec = defaults.with(LstmForecasterSpec.ENGINE, engine);
            learn(LstmForecasterTraining.INSTANCE.newLearner(spec), warm);
            int n = engine.equals(Engine.FAST) ? rounds : 1;
            for (int round = 1; round <= n; round++) {
                SeriesLearner learner = LstmForecasterTraining.INSTANCE.newLearner(spec);
                long cpu = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                learn(learner, measured);
                double wall = (System.nanoTime() - start) / 1e9;
                double thread = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
                System.out.printf(
                        "| %s | bare learner loop (`SeriesLearner.offer`) | %d | %d | %.0f | %.0f |"
                                + " %d |%n",
                        engine,
                        round,
                        measured.size(),
                        measured.size() / wall,
                        measured.size() / thread,
                        learner.fits());
            }
            if (engine.equals(Engine.FAST)) {
                refresh(spec, measured);
            }
            prequential(spec, warm);
            for (int round = 1; round <= n; round++) {
                long cpu = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                ModelTrainer trainer = prequential(spec, measured);
                double wall = (System.nanoTime() - start) / 1e9;
                double thread = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
                System.out.printf(
                        "| %s | test-then-train loop (`SeriesTrainer.offer`: forecast, metrics,"
                                + " learn) | %d | %d | %.0f | %.0f | %d |%n",
                        engine,
                        round,
                        measured.size(),
                        measured.size() / wall,
                        measured.size() / thread,
                        trainer.examplesSeen() / spec.get(LstmForecasterSpec.BATCH_SIZE));
            }
        }
    }

    private static void learn(SeriesLearner learner, List<TrainingInput.SeriesExample> inputs) {
        for (TrainingInput.SeriesExample x : inputs) {
            learner.offer(x.normalisedWindow(), x.point());
        }
    }

    /**
     * What bringing the scoring model up to date after a fit costs the fast engine ({@code
     * LstmForecasterModel.refresh}: one copy of the learner's array into the kernel's), against the
     * time of one fit.
     */
    private static void refresh(ModelSpec spec, List<TrainingInput.SeriesExample> inputs) {
        SeriesLearner learner = LstmForecasterTraining.INSTANCE.newLearner(spec);
        long start = System.nanoTime();
        learn(learner, inputs);
        double perFit = (System.nanoTime() - start) / 1e3 / learner.fits();
        LstmForecasterModel model = learner.model();
        int calls = 1_000_000;
        start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            model.refresh();
        }
        double perRefresh = (System.nanoTime() - start) / 1e3 / calls;
        System.out.printf(
                "%nfast: kernel refresh after a fit %.3f µs, one fit of %d windows (offer × %d)"
                        + " %.1f µs: %.2f%% of it%n%n",
                perRefresh,
                spec.get(LstmForecasterSpec.BATCH_SIZE),
                spec.get(LstmForecasterSpec.BATCH_SIZE),
                perFit,
                100 * perRefresh / perFit);
    }

    /** The trainer the learner operator runs (a fresh one), over {@code inputs}. */
    private static ModelTrainer prequential(
            ModelSpec spec, List<TrainingInput.SeriesExample> inputs) {
        ModelTrainer trainer = LstmForecasterTraining.INSTANCE.newTrainer(spec);
        for (TrainingInput.SeriesExample x : inputs) {
            trainer.offer(x);
        }
        return trainer;
    }
}
