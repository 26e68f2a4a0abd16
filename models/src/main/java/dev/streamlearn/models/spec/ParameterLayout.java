package dev.streamlearn.models.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each DL4J parameter lives in the flat {@code float[]} weights of a spec: layer by layer, in
 * each layer's DL4J parameter order, each array row-major. The trainer exports with {@code
 * getParam(block.name())} in exactly this order and the kernels read it; this class is the
 * contract.
 *
 * <p>Each family defines its own ({@link ModelFamily#layout}).
 */
public final class ParameterLayout {
    /** The most floats one Java array holds; a layout is read into a single {@code float[]}. */
    public static final int MAX_PARAMETERS = Integer.MAX_VALUE - 8;

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

    /** The layout of a model of {@code spec}, as its family defines it. */
    public static ParameterLayout of(ModelSpec spec) {
        return spec.kind().layout(spec);
    }

    /** Lays blocks out one after another, for a family's {@link ModelFamily#layout}. */
    public static Builder builder() {
        return new Builder();
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

    /** Appends blocks in the order a family's parameters are exported. */
    public static final class Builder {
        private final List<ParameterBlock> blocks = new ArrayList<>();
        private int offset;

        private Builder() {}

        /**
         * The next parameter array: its DL4J name and row-major shape.
         *
         * @throws IllegalArgumentException if the weights would no longer fit one {@code float[]}
         */
        public Builder add(String name, int rows, int cols) {
            long end = offset + (long) rows * cols;
            if (rows < 0 || cols < 0 || end > MAX_PARAMETERS) {
                throw new IllegalArgumentException(
                        "parameter block "
                                + name
                                + " of "
                                + rows
                                + " x "
                                + cols
                                + " brings the weights to "
                                + end
                                + " parameters, expected at most "
                                + MAX_PARAMETERS
                                + " (one float[])");
            }
            blocks.add(new ParameterBlock(name, rows, cols, offset));
            offset = (int) end;
            return this;
        }

        public ParameterLayout build() {
            return new ParameterLayout(blocks);
        }
    }
}
