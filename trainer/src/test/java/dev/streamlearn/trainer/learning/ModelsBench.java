package dev.streamlearn.trainer.learning;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.family.lstm.SeriesWindows;
import dev.streamlearn.models.family.text.HashingTokenizer;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.family.lstm.ForecasterLearner;
import dev.streamlearn.trainer.family.text.TextClassifierLearner;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Speed of DL4J's {@code output()} on trained weights and real inputs, and of the online learners
 * at several mini-batch sizes, in one run. The plain-Java scoring kernels are timed on JMH by the
 * {@code models} module's {@code KernelBenchmarks} (command in BENCHMARKS.md). A benchmark harness,
 * not a test (timings never belong in tests). Run from the repository root:
 *
 * <pre>
 * OMP_NUM_THREADS=1 mvn -B -q -pl trainer test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.streamlearn.trainer.learning.ModelsBench
 * </pre>
 *
 * Prints a Markdown table on stdout. {@code --kernels-only}, which timed the kernels alone, prints
 * the JMH command instead.
 */
public final class ModelsBench {
    private static final List<String> ROWS = new ArrayList<>();

    public static void main(String[] args) {
        if (List.of(args).contains("--kernels-only")) {
            System.err.println(
                    "The kernels are timed on JMH now, with only the models module:\n"
                            + "  mvn -B -q -pl models test-compile exec:exec"
                            + " -Dexec.executable=java -Dexec.classpathScope=test"
                            + " -Dexec.args=\"-cp %classpath"
                            + " dev.streamlearn.models.bench.KernelBenchmarks\"");
            System.exit(2);
        }
        List<TextEvent> spam = Datasets.spam(3000);
        double[] births = Datasets.series("us-births-1969-1988.csv", "births", 3000);
        ROWS.add(
                "| what | per event, best round | per event, median round | events/s (best)"
                        + " | thread CPU per event, best round |");
        ROWS.add("|---|---:|---:|---:|---:|");
        scoringText(spam);
        scoringSeries(births);
        int[] batches = {16, 64, 256};
        for (int batch : batches) {
            learningText(spam, batch);
        }
        for (int batch : batches) {
            learningSeries(births, batch);
        }
        System.out.println(
                "JVM "
                        + System.getProperty("java.version")
                        + ", "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores, OMP_NUM_THREADS="
                        + System.getenv("OMP_NUM_THREADS"));
        ROWS.forEach(System.out::println);
    }

    private static void scoringText(List<TextEvent> spam) {
        ModelSpec spec = TextClassifierSpec.defaults();
        TextClassifierLearner learner = new TextClassifierLearner(spec);
        for (TextEvent e : spam.subList(0, 1000)) {
            learner.offer(e.getText(), e.getLabel());
        }
        HashingTokenizer tokenizer = new HashingTokenizer(learner.spec());
        List<TokenizedText> tokens =
                spam.subList(1000, 2000).stream()
                        .map(e -> tokenizer.tokenize(e.getText()))
                        .toList();
        double meanTokens = tokens.stream().mapToInt(TokenizedText::length).average().orElse(0);
        MultiLayerNetwork net = learner.network();
        List<INDArray[]> inputs = new ArrayList<>();
        for (TokenizedText t : tokens) {
            float[] ids = new float[t.length()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = t.ids()[i];
            }
            inputs.add(
                    new INDArray[] {
                        Nd4j.create(ids, new long[] {1, ids.length}, 'c'), Nd4j.ones(1, ids.length)
                    });
        }
        String what =
                " ("
                        + Math.round(meanTokens)
                        + " tokens on average, V="
                        + spec.get(TextClassifierSpec.VOCAB_SIZE)
                        + ", D=64)";
        time(
                "text DL4J output(), batch 1" + what,
                inputs.size(),
                1,
                i -> net.output(inputs.get(i)[0], false, inputs.get(i)[1], null));
    }

    private static void scoringSeries(double[] births) {
        ModelSpec spec = LstmForecasterSpec.defaults();
        ForecasterLearner learner = new ForecasterLearner(spec);
        SeriesWindows windows = new SeriesWindows(spec);
        int w = windows.window();
        for (int i = 0; i + w < 600; i++) {
            learner.offer(windows.normalise(births, i), births[i + w]);
        }
        List<NormalisedWindow> inputs = new ArrayList<>();
        for (int i = 600; i + w < 1600; i++) {
            inputs.add(windows.normalise(births, i));
        }
        List<INDArray> arrays =
                inputs.stream()
                        .map(x -> Nd4j.create(x.inputs(), new long[] {1, 1, w}, 'c'))
                        .toList();
        MultiLayerNetwork net = learner.network();
        String what = " (W=" + w + ", H=" + spec.get(LstmForecasterSpec.HIDDEN_SIZE) + ")";
        time(
                "LSTM DL4J output(), batch 1 (first 200 windows)" + what,
                200,
                1,
                i -> net.output(arrays.get(i)));
    }

    private static void learningText(List<TextEvent> spam, int batch) {
        TextClassifierLearner learner =
                new TextClassifierLearner(
                        TextClassifierSpec.defaults().with(TextClassifierSpec.BATCH_SIZE, batch));
        List<TokenizedText> tokens =
                spam.stream()
                        .map(e -> new HashingTokenizer(learner.spec()).tokenize(e.getText()))
                        .toList();
        int n = Math.max(batch * 8, 1024);
        time(
                "text learner, batch " + batch + " (tokenized, V=16384, D=64)",
                n,
                1,
                i ->
                        learner.offer(
                                tokens.get(i % tokens.size()),
                                spam.get(i % tokens.size()).getLabel()));
    }

    private static void learningSeries(double[] births, int batch) {
        ModelSpec spec = LstmForecasterSpec.defaults().with(LstmForecasterSpec.BATCH_SIZE, batch);
        ForecasterLearner learner = new ForecasterLearner(spec);
        SeriesWindows windows = new SeriesWindows(spec);
        int w = windows.window();
        int n = Math.max(batch * 8, 1024);
        time(
                "LSTM learner, batch " + batch + " (W=32, H=32)",
                n,
                1,
                i -> {
                    int from = i % (births.length - w);
                    learner.offer(windows.normalise(births, from), births[from + w]);
                });
    }

    /**
     * Runs {@code op} over 0..n-1 once to warm up, then times {@code rounds} passes of {@code
     * repeats} each (at least 3 rounds): the box is shared, so the table shows the best round (what
     * the code costs when it gets a core) and the median round (what it cost here). The calling
     * thread's CPU time is reported beside them: it leaves out the time this thread waited for a
     * core while other processes ran, which wall time on this box does not. It also leaves out work
     * on other threads, so for DL4J rows (whose learners showed far less CPU than wall time) the
     * wall time is the fair figure.
     */
    private static void time(String what, int n, int repeats, IntConsumer op) {
        for (int i = 0; i < n; i++) {
            op.accept(i);
        }
        int rounds = repeats > 1 ? 7 : 3;
        double[] micros = new double[rounds];
        double[] cpuMicros = new double[rounds];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int k = 0; k < repeats; k++) {
                for (int i = 0; i < n; i++) {
                    op.accept(i);
                }
            }
            micros[r] = (System.nanoTime() - start) / 1e3 / ((double) n * repeats);
            cpuMicros[r] =
                    (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / ((double) n * repeats);
        }
        java.util.Arrays.sort(micros);
        java.util.Arrays.sort(cpuMicros);
        double best = micros[0];
        double median = micros[rounds / 2];
        ROWS.add(
                String.format(
                        "| %s | %s | %s | %,.0f | %s |",
                        what, format(best), format(median), 1e6 / best, format(cpuMicros[0])));
        System.err.println(what + ": best " + format(best) + ", median " + format(median));
    }

    private static String format(double micros) {
        return micros < 1000
                ? String.format("%.1f µs", micros)
                : String.format("%.2f ms", micros / 1000);
    }
}
