package dev.streamlearn.models.family.cnn;

import dev.streamlearn.models.spec.ModelSpec;

/**
 * The shapes a {@code cnn-classifier} spec implies, convolution by convolution: each takes an
 * {@code inHeight × inWidth × inChannels} map, convolves it without padding to {@code convHeight ×
 * convWidth × filters} and pools it (floor, as DL4J's truncate mode) to {@code poolHeight ×
 * poolWidth × filters}; the last pooled map, flattened, is the dense layer's input.
 */
public record CnnGeometry(
        int width,
        int height,
        int channels,
        int kernel,
        int pool,
        int[] inHeight,
        int[] inWidth,
        int[] inChannels,
        int[] convHeight,
        int[] convWidth,
        int[] filters,
        int[] poolHeight,
        int[] poolWidth,
        int dense,
        int slots) {

    /**
     * The geometry of {@code spec}.
     *
     * @throws IllegalArgumentException naming the convolution whose input is smaller than its
     *     filters or its pooling window
     */
    public static CnnGeometry of(ModelSpec spec) {
        int[] filters = CnnClassifierSpec.filters(spec);
        int n = filters.length;
        int kernel = spec.get(CnnClassifierSpec.KERNEL);
        int pool = spec.get(CnnClassifierSpec.POOL);
        int[] inH = new int[n];
        int[] inW = new int[n];
        int[] inC = new int[n];
        int[] convH = new int[n];
        int[] convW = new int[n];
        int[] poolH = new int[n];
        int[] poolW = new int[n];
        int h = spec.get(CnnClassifierSpec.HEIGHT);
        int w = spec.get(CnnClassifierSpec.WIDTH);
        int c = spec.get(CnnClassifierSpec.CHANNELS);
        for (int l = 0; l < n; l++) {
            inH[l] = h;
            inW[l] = w;
            inC[l] = c;
            convH[l] = h - kernel + 1;
            convW[l] = w - kernel + 1;
            poolH[l] = convH[l] / pool;
            poolW[l] = convW[l] / pool;
            if (poolH[l] < 1 || poolW[l] < 1) {
                throw new IllegalArgumentException(
                        "convolution "
                                + (l + 1)
                                + " gets a "
                                + w
                                + "x"
                                + h
                                + " map, too small for "
                                + kernel
                                + "x"
                                + kernel
                                + " filters and "
                                + pool
                                + "x"
                                + pool
                                + " pooling: use a larger image, fewer filters entries, a"
                                + " smaller kernel or pool");
            }
            h = poolH[l];
            w = poolW[l];
            c = filters[l];
        }
        return new CnnGeometry(
                spec.get(CnnClassifierSpec.WIDTH),
                spec.get(CnnClassifierSpec.HEIGHT),
                spec.get(CnnClassifierSpec.CHANNELS),
                kernel,
                pool,
                inH,
                inW,
                inC,
                convH,
                convW,
                filters,
                poolH,
                poolW,
                spec.get(CnnClassifierSpec.DENSE),
                spec.get(CnnClassifierSpec.MAX_LABELS));
    }

    /** Convolutions. */
    public int convolutions() {
        return filters.length;
    }

    /** Values of one image: {@code width × height × channels}. */
    public int pixels() {
        return width * height * channels;
    }

    /** The dense layer's inputs: the last pooled map's values. */
    public int flat() {
        int last = filters.length - 1;
        return poolHeight[last] * poolWidth[last] * filters[last];
    }

    /** DL4J's layer index of convolution {@code l} (each is followed by its pooling layer). */
    public static int convLayer(int l) {
        return 2 * l;
    }

    /** DL4J's layer index of the dense layer; the output layer's is one more. */
    public int denseLayer() {
        return 2 * filters.length;
    }
}
