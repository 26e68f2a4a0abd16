package dev.streamlearn.models.family.cnn;

/**
 * A coarse map of which regions of an image drove a prediction: {@code width × height} cells of
 * {@code cell × cell} pixels (the last row and column of cells may be cut short by the image's
 * edge), {@code values} row-major. Each value is the sum over the cell's pixels and channels of
 * gradient × input of the predicted label's logit ({@link CnnClassifierModel#predict}): positive
 * where the ink pushed toward the predicted label, negative where it pushed away, 0 on blank
 * background.
 */
public record SaliencyMap(int width, int height, int cell, double[] values) {}
