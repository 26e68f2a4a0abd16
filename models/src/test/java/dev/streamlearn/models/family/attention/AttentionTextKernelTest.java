package dev.streamlearn.models.family.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterBlock;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AttentionTextKernelTest {

    /** D = 2, two heads of width 1, one feed-forward unit, two words, two slots. */
    private static final ModelSpec TINY =
            ModelSpec.fromMap(
                    AttentionTextFamily.INSTANCE,
                    Map.of(
                            "vocabSize", "4",
                            "dModel", "2",
                            "heads", "2",
                            "ffSize", "1",
                            "maxTokens", "2",
                            "edgeTokens", "0",
                            "maxLabels", "2",
                            "labels", "a,b"));

    /** D = 4, two heads of width 2, three feed-forward units, three slots. */
    private static final ModelSpec SMALL =
            ModelSpec.fromMap(
                    AttentionTextFamily.INSTANCE,
                    Map.of(
                            "vocabSize", "16",
                            "dModel", "4",
                            "heads", "2",
                            "ffSize", "3",
                            "maxTokens", "5",
                            "maxLabels", "3",
                            "labels", "x,y,z"));

    @Test
    void theLayoutIsTheEmbeddingThenTheBlockThenTheOutputLayer() {
        ParameterLayout layout = ParameterLayout.of(AttentionTextSpec.defaults());

        assertThat(layout.blocks())
                .extracting(b -> b.name() + "[" + b.rows() + "," + b.cols() + "]")
                .containsExactly(
                        "0_W[32768,32]",
                        "1_P[82,32]",
                        "1_ln1g[1,32]",
                        "1_ln1b[1,32]",
                        "1_Wq[32,32]",
                        "1_bq[1,32]",
                        "1_Wk[32,32]",
                        "1_bk[1,32]",
                        "1_Wv[32,32]",
                        "1_bv[1,32]",
                        "1_Wo[32,32]",
                        "1_bo[1,32]",
                        "1_ln2g[1,32]",
                        "1_ln2b[1,32]",
                        "1_W1[32,64]",
                        "1_b1[1,64]",
                        "1_W2[64,32]",
                        "1_b2[1,32]",
                        "2_W[32,8]",
                        "2_b[1,8]");
    }

    @Test
    void aWidthThatHeadsDoNotDivideIsRefusedNamingBoth() {
        ModelSpec spec = AttentionTextSpec.defaults().with(AttentionTextSpec.HEADS, 5);

        assertThatThrownBy(() -> ParameterLayout.of(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dModel 32")
                .hasMessageContaining("heads 5");
    }

    @Test
    void computesWhatTheBlockComputesByHand() {
        // Given a tiny model whose every weight is set by hand
        float[] p = new float[ParameterLayout.of(TINY).size()];
        ParameterLayout layout = ParameterLayout.of(TINY);
        set(p, layout, "0_W", 0, 0, 0.5f, -1f, 2f, 1f, -0.5f, 0.25f);
        set(p, layout, "1_P", 0.1f, 0.2f, -0.3f, 0.4f, 0, 0, 0, 0);
        set(p, layout, "1_ln1g", 1.5f, 0.5f);
        set(p, layout, "1_ln1b", 0.1f, -0.2f);
        set(p, layout, "1_Wq", 1f, 0.5f, -0.5f, 2f);
        set(p, layout, "1_bq", 0.1f, 0f);
        set(p, layout, "1_Wk", 0.3f, -1f, 1f, 0.2f);
        set(p, layout, "1_bk", 0f, 0.2f);
        set(p, layout, "1_Wv", 2f, 0f, 1f, -1f);
        set(p, layout, "1_bv", 0.5f, 0f);
        set(p, layout, "1_Wo", 1f, -0.5f, 0.25f, 1f);
        set(p, layout, "1_bo", 0f, 0.1f);
        set(p, layout, "1_ln2g", 1f, 2f);
        set(p, layout, "1_ln2b", 0f, 0.5f);
        set(p, layout, "1_W1", 1f, -2f);
        set(p, layout, "1_b1", 0.3f);
        set(p, layout, "1_W2", 0.5f, -1f);
        set(p, layout, "1_b2", 0.05f, 0f);
        set(p, layout, "2_W", 1f, -1f, 0.5f, 2f);
        set(p, layout, "2_b", 0.2f, -0.2f);
        AttentionTextKernel kernel = new AttentionTextKernel(new ModelWeights(TINY, p));

        // When it reads the text of ids 1 then 2
        AttentionTextKernel.Pass pass = kernel.newPass();
        double[] logits = kernel.forward(new int[] {1, 2}, pass);

        // Then: x = E + P; with D = 2 a layer norm gives ±d/√(d²+ε) around the mean
        double[][] x = {{0.5 + 0.1, -1 + 0.2}, {2 - 0.3, 1 + 0.4}};
        double[][] u = new double[2][];
        double[][] q = new double[2][];
        double[][] k = new double[2][];
        double[][] v = new double[2][];
        for (int t = 0; t < 2; t++) {
            u[t] = ln(x[t], 1.5, 0.5, 0.1, -0.2);
            q[t] = new double[] {0.1 + u[t][0] * 1 + u[t][1] * -0.5, u[t][0] * 0.5 + u[t][1] * 2};
            k[t] = new double[] {u[t][0] * 0.3 + u[t][1] * 1, 0.2 + u[t][0] * -1 + u[t][1] * 0.2};
            v[t] = new double[] {0.5 + u[t][0] * 2 + u[t][1] * 1, u[t][0] * 0 + u[t][1] * -1};
        }
        double[] pooled = new double[2];
        double[] toToken = new double[2];
        for (int t = 0; t < 2; t++) {
            double[] c = new double[2];
            for (int h = 0; h < 2; h++) { // each head is one column wide: scale 1/√1
                double e0 = Math.exp(q[t][h] * k[0][h]);
                double e1 = Math.exp(q[t][h] * k[1][h]);
                double a0 = e0 / (e0 + e1);
                c[h] = a0 * v[0][h] + (1 - a0) * v[1][h];
                toToken[0] += a0 / 4;
                toToken[1] += (1 - a0) / 4;
            }
            double[] r = {x[t][0] + c[0] * 1 + c[1] * 0.25, x[t][1] + 0.1 + c[0] * -0.5 + c[1] * 1};
            double[] w = ln(r, 1, 2, 0, 0.5);
            double hidden = Math.max(0, 0.3 + w[0] * 1 + w[1] * -2);
            pooled[0] += (r[0] + 0.05 + hidden * 0.5) / 2;
            pooled[1] += (r[1] + hidden * -1) / 2;
        }
        assertThat(logits[0]).isCloseTo(0.2 + pooled[0] * 1 + pooled[1] * 0.5, within(1e-6));
        assertThat(logits[1]).isCloseTo(-0.2 + pooled[0] * -1 + pooled[1] * 2, within(1e-6));
        double[] attention = kernel.attentionToTokens(pass);
        assertThat(attention[0]).isCloseTo(toToken[0], within(1e-9));
        assertThat(attention[1]).isCloseTo(toToken[1], within(1e-9));
    }

    private static double[] ln(double[] z, double g0, double g1, double b0, double b1) {
        double mean = (z[0] + z[1]) / 2;
        double d = z[0] - mean;
        double inv = 1 / Math.sqrt(d * d + 1e-5);
        return new double[] {g0 * d * inv + b0, g1 * -d * inv + b1};
    }

    private static void set(float[] p, ParameterLayout layout, String block, float... values) {
        ParameterBlock b = layout.block(block);
        assertThat(values).hasSize(b.length());
        System.arraycopy(values, 0, p, b.offset(), values.length);
    }

    @Test
    void everyGradientMatchesFiniteDifferencesOfTheLoss() {
        // Given random weights, a text with a repeated token, and a loss linear in the logits
        float[] p = randomWeights(SMALL, 11);
        AttentionTextKernel kernel = new AttentionTextKernel(new ModelWeights(SMALL, p));
        AttentionTextKernel.Pass pass = kernel.newPass();
        int[] ids = {3, 7, 3, 12, 1, 9};
        double[] g = {0.7, -1.3, 0.4};

        // When the backward pass runs from dLoss/dlogits = g
        kernel.forward(ids, pass);
        double[] dense = new double[p.length - kernel.denseOffset()];
        double[] tokens = new double[ids.length * 4];
        kernel.backward(ids, pass, g, dense, tokens);
        double[] analytic = new double[p.length];
        System.arraycopy(dense, 0, analytic, kernel.denseOffset(), dense.length);
        for (int t = 0; t < ids.length; t++) {
            for (int i = 0; i < 4; i++) {
                analytic[ids[t] * 4 + i] += tokens[t * 4 + i];
            }
        }

        // Then every parameter's gradient is the central difference of the loss
        for (int i = 0; i < p.length; i++) {
            float original = p[i];
            p[i] = original + 1e-3f;
            double up = dot(g, kernel.forward(ids, pass));
            float upAt = p[i];
            p[i] = original - 1e-3f;
            double down = dot(g, kernel.forward(ids, pass));
            float downAt = p[i];
            p[i] = original;
            double numeric = (up - down) / ((double) upAt - downAt);
            assertThat(analytic[i])
                    .as("gradient of parameter %d", i)
                    .isCloseTo(numeric, within(1e-6 + 1e-4 * Math.abs(numeric)));
        }
    }

    @Test
    void theAttentionPaidToTheTokensSumsToOne() {
        AttentionTextKernel kernel =
                new AttentionTextKernel(new ModelWeights(SMALL, randomWeights(SMALL, 3)));
        AttentionTextKernel.Pass pass = kernel.newPass();

        kernel.forward(new int[] {5, 2, 2, 8}, pass);
        double[] attention = kernel.attentionToTokens(pass);

        assertThat(attention).hasSize(4);
        assertThat(java.util.Arrays.stream(attention).min().orElseThrow()).isPositive();
        assertThat(attention[0] + attention[1] + attention[2] + attention[3])
                .isCloseTo(1, within(1e-12));
    }

    @Test
    void aPassReusedForShorterAndLongerTextsGivesWhatAFreshOneGives() {
        AttentionTextKernel kernel =
                new AttentionTextKernel(new ModelWeights(SMALL, randomWeights(SMALL, 5)));
        AttentionTextKernel.Pass reused = kernel.newPass();
        int[] longer = {1, 2, 3, 4, 5, 6, 7};
        int[] shorter = {9, 4};

        kernel.forward(longer, reused);
        double[] again = kernel.forward(shorter, reused);

        assertThat(again).containsExactly(kernel.forward(shorter, kernel.newPass()));
        assertThat(kernel.forward(longer, reused))
                .containsExactly(kernel.forward(longer, kernel.newPass()));
    }

    @Test
    void aTextLongerThanThePositionsIsRefused() {
        AttentionTextKernel kernel =
                new AttentionTextKernel(new ModelWeights(SMALL, randomWeights(SMALL, 5)));

        assertThatThrownBy(() -> kernel.forward(new int[8], kernel.newPass()))
                .hasMessageContaining("8 tokens, expected 1 to 7");
    }

    static float[] randomWeights(ModelSpec spec, long seed) {
        Random random = new Random(seed);
        float[] p = new float[ParameterLayout.of(spec).size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (random.nextGaussian() * 0.6);
        }
        return p;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
