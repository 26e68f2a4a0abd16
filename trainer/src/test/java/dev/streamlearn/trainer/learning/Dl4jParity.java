package dev.streamlearn.trainer.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterBlock;
import dev.streamlearn.models.spec.ParameterLayout;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What the fast learners' parity tests share: DL4J's gradient in the family's layout order, and the
 * comparison with a relative tolerance and an absolute floor. Test fixture.
 */
public final class Dl4jParity {
    private Dl4jParity() {}

    /**
     * The gradient {@code net} last computed, block by block in {@code spec}'s layout order, of the
     * mini-batch's mean loss: DL4J's is of the summed loss (its updater divides by the mini-batch
     * size before Adam).
     */
    public static float[] meanGradient(ModelSpec spec, MultiLayerNetwork net, int batchSize) {
        Gradient gradient = net.gradient();
        ParameterLayout layout = ParameterLayout.of(spec);
        float[] mean = new float[layout.size()];
        for (ParameterBlock block : layout.blocks()) {
            float[] values =
                    gradient.getGradientFor(block.name())
                            .castTo(DataType.FLOAT)
                            .reshape('c', block.rows(), block.cols())
                            .dup('c')
                            .data()
                            .asFloat();
            for (int i = 0; i < values.length; i++) {
                mean[block.offset() + i] = values[i] / batchSize;
            }
        }
        return mean;
    }

    public static float[] minus(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    public static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /**
     * Every entry within {@code relative}: {@code |a − b| / max(|a|, |b|, floor) ≤ relative}; the
     * failure names the worst entry and both values.
     */
    public static void assertClose(
            String what, float[] expected, float[] actual, double relative, double floor) {
        assertThat(actual).hasSameSizeAs(expected);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(floor, Math.max(Math.abs(expected[i]), Math.abs(actual[i])));
            double difference = Math.abs(expected[i] - actual[i]) / scale;
            if (difference > worst) {
                worst = difference;
                at = i;
            }
        }
        assertThat(worst)
                .as(
                        "%s: worst relative difference at %d (DL4J %s, fast %s)",
                        what, at, at < 0 ? "-" : expected[at], at < 0 ? "-" : actual[at])
                .isLessThanOrEqualTo(relative);
    }
}
