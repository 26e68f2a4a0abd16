package dev.streamlearn.models.bench;

import dev.streamlearn.models.family.attention.AttentionTextFamily;
import dev.streamlearn.models.family.attention.AttentionTextKernel;
import dev.streamlearn.models.family.attention.AttentionTextModel;
import dev.streamlearn.models.family.attention.TokenSelection;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How many texts a second the {@code attention-text-classifier}'s plain-Java kernel scores on one
 * thread, in thread CPU time (so other processes on a shared box do not count) and in wall time:
 * mails 1,001-2,000 of the SpamAssassin file, as {@link KernelBenchmarks} reads them. Two timings:
 * the kernel alone on the selected ids ({@code forward}), and the whole {@code predict(text)}
 * (tokenize, select, forward, softmax, the attention per distinct token). Weights are random
 * (Gaussian, σ = 0.1) in the spec's shape with two labels in use; no branch of the kernel depends
 * on a weight's value but the feed-forward layer's ReLU, which skips inactive units, so trained
 * weights could differ a little. Each round scores all 1,000; best and median of the rounds after
 * warm-up. Run as a plain Java program (not by Surefire):
 *
 * <pre>
 * java -cp models/target/test-classes:models/target/classes:$(cat models/target/test.classpath) \
 *     dev.streamlearn.models.bench.AttentionScoringBench [name=value ...]
 * </pre>
 *
 * where name=value overrides the default spec (e.g. {@code maxTokens=128}).
 */
public final class AttentionScoringBench {
    private static final int INPUTS = 1000;
    private static final int WARM_UP_ROUNDS = 5;
    private static final int ROUNDS = 9;

    private AttentionScoringBench() {}

    public static void main(String[] args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("labels", "ham,spam");
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            overrides.put(kv[0], kv[1]);
        }
        ModelSpec spec = ModelSpec.fromMap(AttentionTextFamily.INSTANCE, overrides);
        float[] params = new float[ParameterLayout.of(spec).size()];
        Random random = new Random(1);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.1);
        }
        AttentionTextModel model = new AttentionTextModel(new ModelWeights(spec, params));
        List<String> mails = ShippedData.mails(2 * INPUTS).subList(INPUTS, 2 * INPUTS);
        int maxTokens =
                spec.get(dev.streamlearn.models.family.attention.AttentionTextSpec.MAX_TOKENS);
        List<int[]> ids =
                mails.stream()
                        .map(
                                m -> {
                                    TokenizedText t = model.tokenizer().tokenize(m);
                                    return TokenSelection.ids(
                                            t, TokenSelection.positions(t, maxTokens));
                                })
                        .toList();
        double meanTokens = ids.stream().mapToInt(a -> a.length).average().orElse(0);
        AttentionTextKernel kernel = model.kernel();
        AttentionTextKernel.Pass pass = kernel.newPass();
        double[] sink = new double[1];
        Runnable forward =
                () -> {
                    for (int[] text : ids) {
                        sink[0] += kernel.forward(text, pass)[0];
                    }
                };
        Runnable predict =
                () -> {
                    for (String mail : mails) {
                        sink[0] += model.predict(mail).attention().size();
                    }
                };
        System.out.printf(
                "spec %s; %d mails, %.1f tokens read each on average%n",
                spec.toMap(), INPUTS, meanTokens);
        report("kernel forward", forward);
        report("predict(text)", predict);
        System.out.println("(checksum " + sink[0] + ")");
    }

    private static void report(String name, Runnable round) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < WARM_UP_ROUNDS; r++) {
            round.run();
        }
        double[] cpu = new double[ROUNDS];
        double[] wall = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            round.run();
            cpu[r] = INPUTS / ((threads.getCurrentThreadCpuTime() - cpu0) / 1e9);
            wall[r] = INPUTS / ((System.nanoTime() - wall0) / 1e9);
        }
        java.util.Arrays.sort(cpu);
        java.util.Arrays.sort(wall);
        System.out.printf(
                "%-15s texts/s, thread CPU: best %,.0f median %,.0f | wall: best %,.0f median"
                        + " %,.0f%n",
                name, cpu[ROUNDS - 1], cpu[ROUNDS / 2], wall[ROUNDS - 1], wall[ROUNDS / 2]);
    }
}
