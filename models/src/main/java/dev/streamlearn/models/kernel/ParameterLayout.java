package dev.streamlearn.models.kernel;

import dev.streamlearn.models.spec.LstmForecasterSpec;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.TextClassifierSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each DL4J parameter lives in the flat {@code float[]} weights of a spec: layer by layer, in
 * each layer's DL4J parameter order, each array row-major. The trainer exports with {@code
 * getParam(block.name())} in exactly this order and the kernels read it; this class is the
 * contract.
 *
 * <p>lstm-forecaster: {@code 0_W [1,4H], 0_RW [H,4H], 0_b [1,4H]} (LSTM; the 4H axis holds the gate
 * blocks in DL4J's order: cell candidate, forget, output, input), then {@code 1_W [H,1], 1_b [1,1]}
 * (dense output). text-classifier: {@code 0_W [V,D]} (embedding), layer 1 (pooling) has none,
 * {@code 2_W [D,K], 2_b [1,K]} (softmax output).
 */
public final class ParameterLayout {
    private final List<ParameterBlock> blocks;
    private final int size;

    private ParameterLayout(List<ParameterBlock> blocks) {
        this.blocks = List.copyOf(blocks);
        this.size =
                blocks.isEmpty()
                        ? 0
                        : blocks.get(blocks.size() - 1).offset()
                                + blocks.get(blocks.size() - 1).length();
    }

    public static ParameterLayout of(ModelSpec spec) {
        Builder b = new Builder();
        switch (spec.kind()) {
            case LSTM_FORECASTER -> {
                int h = spec.get(LstmForecasterSpec.HIDDEN_SIZE);
                b.add("0_W", 1, 4 * h).add("0_RW", h, 4 * h).add("0_b", 1, 4 * h);
                b.add("1_W", h, 1).add("1_b", 1, 1);
            }
            case TEXT_CLASSIFIER -> {
                int v = spec.get(TextClassifierSpec.VOCAB_SIZE);
                int d = spec.get(TextClassifierSpec.EMBEDDING_SIZE);
                int k = spec.get(TextClassifierSpec.MAX_LABELS);
                b.add("0_W", v, d).add("2_W", d, k).add("2_b", 1, k);
            }
        }
        return new ParameterLayout(b.blocks);
    }

    public List<ParameterBlock> blocks() {
        return blocks;
    }

    public ParameterBlock block(String name) {
        return blocks.stream()
                .filter(b -> b.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter " + name));
    }

    /** Total number of float parameters. */
    public int size() {
        return size;
    }

    private static final class Builder {
        final List<ParameterBlock> blocks = new ArrayList<>();
        int offset;

        Builder add(String name, int rows, int cols) {
            blocks.add(new ParameterBlock(name, rows, cols, offset));
            offset += rows * cols;
            return this;
        }
    }
}
