package dev.streamlearn.trainer.family.attention;

import dev.streamlearn.models.family.attention.AttentionTextSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterBlock;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code attention-text-classifier} as a SameDiff graph: DL4J's own ops and automatic
 * differentiation, the reference {@code AttentionTextKernel} is held to. One variable per layout
 * block, named as the block, loaded from the weights' array; the graph is the formulas of the
 * kernel's Javadoc, written with DL4J's matrix product, softmax, ReLU and reductions, one text (T
 * positions) at a time. The token and position embedding rows, and each head's columns, are picked
 * by 0/1 matrices rather than by {@code gather}: exact, and in DL4J 1.0.0-M2.1 the gradient of a
 * graph holding more than one {@code gather} cannot be taken ({@code Gather.doDiff} fails on names
 * it gives every copy alike).
 *
 * <p>It lives in the test sources because the family seam, {@code TrainingFamily.network}, returns
 * a {@code MultiLayerConfiguration}, which a SameDiff graph is not; and the job asks no family for
 * its network. Layer normalisation is written out, {@code (z − mean)/√(var + 1e-5)} with the biased
 * variance, as the kernel has it. Test fixture.
 */
final class AttentionSameDiff {
    private static final double LN_EPSILON = 1e-5;

    private final SameDiff sd = SameDiff.create();
    private final ModelSpec spec;
    private final DataType type;
    private final int slots;
    private final int vocab;

    /** The graph over {@code weights}, computing in {@code type} (FLOAT or DOUBLE). */
    AttentionSameDiff(ModelWeights weights, DataType type) {
        this.spec = weights.spec();
        this.type = type;
        this.slots = spec.get(AttentionTextSpec.MAX_LABELS);
        this.vocab = spec.get(AttentionTextSpec.VOCAB_SIZE);
        int dim = spec.get(AttentionTextSpec.D_MODEL);
        int heads = spec.get(AttentionTextSpec.HEADS);
        int headDim = dim / heads;
        Map<String, SDVariable> p = new HashMap<>();
        for (ParameterBlock block : ParameterLayout.of(spec).blocks()) {
            float[] values = new float[block.length()];
            System.arraycopy(weights.params(), block.offset(), values, 0, values.length);
            INDArray array =
                    Nd4j.create(values, new long[] {block.rows(), block.cols()}, 'c').castTo(type);
            p.put(block.name(), sd.var(block.name(), array));
        }
        SDVariable tokens = sd.placeHolder("tokens", type, -1, vocab);
        SDVariable positions =
                sd.placeHolder("positions", type, -1, AttentionTextSpec.positions(spec));
        SDVariable label = sd.placeHolder("label", type, 1, slots);

        SDVariable x = tokens.mmul(p.get("0_W")).add(positions.mmul(p.get("1_P")));
        SDVariable u = layerNorm(x, p.get("1_ln1g"), p.get("1_ln1b"));
        SDVariable q = u.mmul(p.get("1_Wq")).add(p.get("1_bq"));
        SDVariable k = u.mmul(p.get("1_Wk")).add(p.get("1_bk"));
        SDVariable v = u.mmul(p.get("1_Wv")).add(p.get("1_bv"));
        // Each head's mix is put back in its columns by the transpose of the matrix that picked
        // them, so the sum over heads is the concatenation.
        SDVariable c = null;
        for (int h = 0; h < heads; h++) {
            INDArray pick = Nd4j.zeros(type, dim, headDim);
            for (int j = 0; j < headDim; j++) {
                pick.putScalar(h * headDim + j, j, 1);
            }
            SDVariable columns = sd.constant(pick);
            SDVariable qh = q.mmul(columns);
            SDVariable kh = k.mmul(columns);
            SDVariable vh = v.mmul(columns);
            SDVariable scores = sd.mmul(qh, kh, false, true, false).mul(1 / Math.sqrt(headDim));
            SDVariable mix =
                    sd.mmul(sd.nn.softmax(scores, 1).mmul(vh), columns, false, true, false);
            c = c == null ? mix : c.add(mix);
        }
        SDVariable r = x.add(c.mmul(p.get("1_Wo")).add(p.get("1_bo")));
        SDVariable w = layerNorm(r, p.get("1_ln2g"), p.get("1_ln2b"));
        SDVariable hidden = sd.nn.relu(w.mmul(p.get("1_W1")).add(p.get("1_b1")), 0);
        SDVariable y = r.add(hidden.mmul(p.get("1_W2")).add(p.get("1_b2")));
        SDVariable pooled = sd.mean(y, true, 0);
        SDVariable logits = pooled.mmul(p.get("2_W")).add(p.get("2_b"));
        sd.nn.softmax("probabilities", logits, 1);
        // Without an axis: the gradient of logSoftmax(logits, 1) fails in this DL4J version
        // (LogSoftMax cannot set its dimension property); the default axis is the last.
        SDVariable loss = sd.sum("loss", label.mul(sd.nn.logSoftmax(logits)).neg());
        sd.setLossVariables(loss);
    }

    private SDVariable layerNorm(SDVariable z, SDVariable gain, SDVariable bias) {
        SDVariable centred = z.sub(sd.mean(z, true, 1));
        SDVariable variance = sd.mean(centred.mul(centred), true, 1);
        SDVariable normalised = centred.mul(sd.math.rsqrt(variance.add(LN_EPSILON)));
        return normalised.mul(gain).add(bias);
    }

    /** The probability of every slot for a text's token ids. */
    double[] probabilities(int[] ids) {
        return sd.output(placeholders(ids, 0), "probabilities")
                .get("probabilities")
                .castTo(DataType.DOUBLE)
                .toDoubleVector();
    }

    /** The gradient of the mean cross-entropy of {@code batch}, in layout order. */
    double[] meanGradient(List<AttentionExample> batch) {
        ParameterLayout layout = ParameterLayout.of(spec);
        List<String> names = layout.blocks().stream().map(ParameterBlock::name).toList();
        double[] mean = new double[layout.size()];
        for (AttentionExample x : batch) {
            Map<String, INDArray> gradients =
                    sd.calculateGradients(placeholders(x.ids(), x.slot()), names);
            for (ParameterBlock block : layout.blocks()) {
                double[] g =
                        gradients
                                .get(block.name())
                                .castTo(DataType.DOUBLE)
                                .dup('c')
                                .data()
                                .asDouble();
                for (int i = 0; i < g.length; i++) {
                    mean[block.offset() + i] += g[i] / batch.size();
                }
            }
        }
        return mean;
    }

    private Map<String, INDArray> placeholders(int[] ids, int slot) {
        INDArray positions = Nd4j.zeros(type, ids.length, AttentionTextSpec.positions(spec));
        INDArray tokens = Nd4j.zeros(type, ids.length, vocab);
        for (int t = 0; t < ids.length; t++) {
            positions.putScalar(t, t, 1);
            tokens.putScalar(t, ids[t], 1);
        }
        INDArray label = Nd4j.zeros(type, 1, slots);
        label.putScalar(0, slot, 1);
        return Map.of(
                "tokens", tokens,
                "positions", positions,
                "label", label);
    }
}
