package dev.streamlearn.models.spec;

/**
 * One named parameter array of a DL4J layer, e.g. {@code 0_RW}: its DL4J name (as {@code
 * MultiLayerNetwork.getParam} takes it), its shape and where it starts in the flat weights. Values
 * are stored row-major.
 */
public record ParameterBlock(String name, int rows, int cols, int offset) {
    public int length() {
        return rows * cols;
    }
}
