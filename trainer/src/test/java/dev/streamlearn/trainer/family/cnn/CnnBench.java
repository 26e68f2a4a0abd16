package dev.streamlearn.trainer.family.cnn;

import com.sun.management.OperatingSystemMXBean;
import dev.streamlearn.models.family.cnn.CnnClassifierKernel;
import dev.streamlearn.models.family.cnn.CnnClassifierModel;
import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.evaluation.MnistCsv;
import dev.streamlearn.trainer.learning.Dl4jWeights;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Speed of {@code cnn-classifier} on MNIST digits, side by side in one run: DL4J's {@code output()}
 * at batch 1 and the plain-Java kernel on the same learned weights and the same 1,000 digits (and
 * the kernel's largest probability difference from DL4J on them); {@code
 * CnnClassifierModel.predict}, the scorer's call, which adds the saliency map; and learning, the
 * fast learner's and DL4J's {@code fit}, at the default mini-batch of 8. A benchmark harness, not a
 * test (timings never belong in tests). Run from the repository root after {@code mvn -pl trainer
 * -am install -DskipTests} and {@code mvn -pl trainer test-compile}:
 *
 * <pre>
 * cd trainer &amp;&amp; OMP_NUM_THREADS=1 java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     dev.streamlearn.trainer.family.cnn.CnnBench
 * </pre>
 *
 * Prints a Markdown table on stdout. The scoring rows alternate round by round, so load that comes
 * and goes falls on each alike; every row shows the best and median round's wall time, the calling
 * thread's CPU time (what the code costs when it has a core) and the process' CPU time (which also
 * counts any thread DL4J's native code runs on, and the JVM's own).
 */
public final class CnnBench {
    private static final int ROUNDS = 7;

    public static void main(String[] args) {
        List<ImageEvent> digits = MnistCsv.read(3_000);
        List<byte[]> pixels = digits.stream().map(e -> DecodeImage.pixels(e.getPixels())).toList();
        System.out.println(
                "JVM "
                        + System.getProperty("java.version")
                        + ", "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores, OMP_NUM_THREADS="
                        + System.getenv("OMP_NUM_THREADS"));
        System.out.println(
                "| what | per image, best round | per image, median round | images/s (best) |"
                        + " thread CPU per image, best | process CPU per image, best |");
        System.out.println("|---|---:|---:|---:|---:|---:|");

        // Learned weights: the fast learner over the first 2,000 digits, timed.
        FastCnnLearner learner = new FastCnnLearner(CnnClassifierSpec.defaults());
        Timing learning = new Timing("fast learner, batch 8 (test excluded)");
        learning.round(2_000, i -> offer(learner, digits.get(i)));
        learning.print();

        // DL4J's fit on the same network and batches, from its own initial weights.
        MultiLayerNetwork trained = TrainingFamilies.network(learner.spec());
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from + 8 <= 2_000; from += 8) {
            batches.add(batch(learner, digits.subList(from, from + 8)));
        }
        Timing dl4jFit = new Timing("DL4J fit(), batch 8");
        dl4jFit.round(batches.size(), i -> trained.fit(batches.get(i)));
        dl4jFit.perItem = 8;
        dl4jFit.print();

        ModelWeights weights = learner.weights();
        MultiLayerNetwork net = TrainingFamilies.network(weights.spec());
        Dl4jWeights.load(weights, net);
        CnnClassifierModel model = new CnnClassifierModel(weights);
        CnnClassifierKernel kernel = model.kernel();
        CnnClassifierKernel.Activations a = kernel.newActivations();
        List<byte[]> scored = pixels.subList(2_000, 3_000);
        List<INDArray> inputs =
                scored.stream()
                        .map(p -> Nd4j.create(CnnClassifierModel.scaled(p), new long[] {1, 784}))
                        .toList();
        double maxDiff = 0;
        for (int i = 0; i < scored.size(); i++) {
            float[] expected = net.output(inputs.get(i), false).toFloatVector();
            double[] actual =
                    CnnClassifierKernel.softmax(
                            kernel.forward(CnnClassifierModel.scaled(scored.get(i)), a),
                            kernel.slots());
            for (int c = 0; c < expected.length; c++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[c] - actual[c]));
            }
        }
        int n = scored.size();
        Timing dl4j = new Timing("DL4J output(), batch 1");
        Timing plain = new Timing("kernel forward + softmax (scale included)");
        Timing predict = new Timing("CnnClassifierModel.predict (+ 7x7 saliency)");
        IntConsumer dl4jOp = i -> net.output(inputs.get(i), false);
        IntConsumer plainOp =
                i ->
                        CnnClassifierKernel.softmax(
                                kernel.forward(CnnClassifierModel.scaled(scored.get(i)), a),
                                kernel.slots());
        IntConsumer predictOp = i -> model.predict(28, 28, 1, scored.get(i));
        for (int i = 0; i < n; i++) {
            dl4jOp.accept(i);
            plainOp.accept(i);
            predictOp.accept(i);
        }
        for (int r = 0; r < ROUNDS; r++) {
            dl4j.round(n, dl4jOp);
            plain.round(n, plainOp);
            predict.round(n, predictOp);
        }
        dl4j.print();
        plain.print();
        predict.print();
        System.out.printf(
                "%nkernel vs DL4J output(): thread CPU %.1fx, wall (best) %.1fx; largest"
                        + " probability difference over %d digits %.2e%n",
                dl4j.best(dl4j.cpu) / plain.best(plain.cpu),
                dl4j.best(dl4j.wall) / plain.best(plain.wall),
                n,
                maxDiff);
    }

    private static void offer(FastCnnLearner learner, ImageEvent e) {
        learner.offer(28, 28, 1, DecodeImage.pixels(e.getPixels()), e.getLabel());
    }

    private static DataSet batch(FastCnnLearner learner, List<ImageEvent> digits) {
        float[][] features = new float[digits.size()][];
        float[][] labels = new float[digits.size()][10];
        List<String> slots = CnnClassifierSpec.labels(learner.spec());
        for (int i = 0; i < digits.size(); i++) {
            features[i] = CnnClassifierModel.scaled(DecodeImage.pixels(digits.get(i).getPixels()));
            labels[i][slots.indexOf(digits.get(i).getLabel())] = 1;
        }
        return new DataSet(Nd4j.create(features), Nd4j.create(labels));
    }

    /** Rounds of one operation: wall, thread CPU and process CPU per item. */
    private static final class Timing {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private static final OperatingSystemMXBean OS =
                (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        final String what;
        final List<Double> wall = new ArrayList<>();
        final List<Double> cpu = new ArrayList<>();
        final List<Double> process = new ArrayList<>();
        int perItem = 1;

        Timing(String what) {
            this.what = what;
        }

        void round(int n, IntConsumer op) {
            long processStart = OS.getProcessCpuTime();
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                op.accept(i);
            }
            wall.add((System.nanoTime() - start) / 1e3 / n);
            cpu.add((THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e3 / n);
            process.add((OS.getProcessCpuTime() - processStart) / 1e3 / n);
        }

        double best(List<Double> values) {
            return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN)
                    / perItem;
        }

        double median(List<Double> values) {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2] / perItem;
        }

        void print() {
            System.out.printf(
                    "| %s | %s | %s | %,.0f | %s | %s |%n",
                    what,
                    format(best(wall)),
                    format(median(wall)),
                    1e6 / best(wall),
                    format(best(cpu)),
                    format(best(process)));
        }

        private static String format(double micros) {
            return micros < 1000
                    ? String.format("%.1f µs", micros)
                    : String.format("%.2f ms", micros / 1000);
        }
    }
}
