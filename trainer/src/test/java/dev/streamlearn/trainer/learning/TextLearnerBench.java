package dev.streamlearn.trainer.learning;

import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.spec.Engine;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.family.text.TextClassifierTraining;
import dev.streamlearn.trainer.family.text.TextLearner;
import dev.streamlearn.trainer.training.ModelTrainer;
import dev.streamlearn.trainer.training.TrainingInput;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The bare text learner loop (tokenize + {@code offer}, fitting every full mini-batch) and the
 * learner operator's test-then-train loop ({@code TextTrainer.offer}) of both engines side by side,
 * on the same SpamAssassin mails and the default spec (mini-batch 8), as TrainerBench's "bare
 * learner loop" row measures it: each engine warmed up on 400 other mails in a learner of its own,
 * then timed from a fresh learner. A benchmark harness, not a test. From the repository root:
 *
 * <pre>
 * mvn -B -q -pl trainer dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * mvn -B -q -pl trainer test-compile
 * cd trainer &amp;&amp; OMP_NUM_THREADS=1 java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     dev.streamlearn.trainer.learning.TextLearnerBench 2000 5
 * </pre>
 *
 * (arguments: mails timed, rounds of the fast engine; DL4J runs one round). Prints Markdown.
 */
public final class TextLearnerBench {
    private static final int WARM_UP = 400;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int texts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<TextEvent> spam = Datasets.spam(WARM_UP + texts);
        List<TextEvent> warm = spam.subList(0, WARM_UP);
        List<TextEvent> measured = spam.subList(WARM_UP, spam.size());
        System.out.println(
                "JVM "
                        + System.getProperty("java.version")
                        + ", "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores, OMP_NUM_THREADS="
                        + System.getenv("OMP_NUM_THREADS"));
        System.out.println(
                "| engine | loop | round | mails | examples/s (wall) | examples/s (thread CPU) |"
                        + " fits |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (String engine : List.of(Engine.FAST, Engine.DL4J)) {
            ModelSpec spec = TextClassifierSpec.defaults().with(TextClassifierSpec.ENGINE, engine);
            loop(spec, warm);
            int n = engine.equals(Engine.FAST) ? rounds : 1;
            for (int round = 1; round <= n; round++) {
                TextLearner learner = TextClassifierTraining.INSTANCE.newLearner(spec);
                long cpu = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                for (TextEvent e : measured) {
                    learner.offer(e.getText(), e.getLabel());
                }
                double wall = (System.nanoTime() - start) / 1e9;
                double thread = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
                System.out.printf(
                        "| %s | bare learner loop (`TextLearner.offer`) | %d | %d | %.0f | %.0f |"
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
                        "| %s | test-then-train loop (`TextTrainer.offer`: score, metrics, learn)"
                                + " | %d | %d | %.0f | %.0f | %d |%n",
                        engine,
                        round,
                        measured.size(),
                        measured.size() / wall,
                        measured.size() / thread,
                        trainer.examplesSeen() / spec.get(TextClassifierSpec.BATCH_SIZE));
            }
        }
    }

    /**
     * What bringing the scoring model up to date after a fit costs the fast engine (it shares the
     * learner's array: {@code TextClassifierModel.refresh}), against the time of one fit.
     */
    private static void refresh(ModelSpec spec, List<TextEvent> texts) {
        TextLearner learner = TextClassifierTraining.INSTANCE.newLearner(spec);
        long start = System.nanoTime();
        for (TextEvent e : texts) {
            learner.offer(e.getText(), e.getLabel());
        }
        double perFit = (System.nanoTime() - start) / 1e3 / learner.fits();
        var model = learner.model();
        int calls = 1_000_000;
        start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            model.refresh();
        }
        double perRefresh = (System.nanoTime() - start) / 1e3 / calls;
        System.out.printf(
                "%nfast: kernel refresh after a fit %.3f µs, one fit of %d (tokenize + offer ×"
                        + " %d) %.1f µs: %.4f%% of it%n%n",
                perRefresh,
                spec.get(TextClassifierSpec.BATCH_SIZE),
                spec.get(TextClassifierSpec.BATCH_SIZE),
                perFit,
                100 * perRefresh / perFit);
    }

    /** The trainer the learner operator runs (a fresh one), over {@code texts}. */
    private static ModelTrainer prequential(ModelSpec spec, List<TextEvent> texts) {
        ModelTrainer trainer = TextClassifierTraining.INSTANCE.newTrainer(spec);
        for (int i = 0; i < texts.size(); i++) {
            TextEvent e = texts.get(i);
            trainer.offer(
                    TrainingInput.labelledText(
                            "bench",
                            new RecordOrigin("text-events", 0, i, 0, null, null),
                            e.getId(),
                            e.getEventTime().toEpochMilli(),
                            e.getText(),
                            e.getLabel()));
        }
        return trainer;
    }

    private static void loop(ModelSpec spec, List<TextEvent> texts) {
        TextLearner learner = TextClassifierTraining.INSTANCE.newLearner(spec);
        for (TextEvent e : texts) {
            learner.offer(e.getText(), e.getLabel());
        }
    }
}
