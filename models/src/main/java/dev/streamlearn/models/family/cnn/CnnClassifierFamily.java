package dev.streamlearn.models.family.cnn;

import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.Param;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import java.util.List;

/**
 * {@code cnn-classifier}: image → convolutions with ReLU and max pooling → dense ReLU → softmax
 * ({@link CnnClassifierSpec}). Learns from labelled and scores every {@code image-events} record.
 */
public enum CnnClassifierFamily implements ModelFamily {
    INSTANCE;

    public static final String ID = "cnn-classifier";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Param<?>> params() {
        return CnnClassifierSpec.PARAMS;
    }

    /**
     * DL4J's layers in order: per convolution {@code l} (layer {@code 2l}; {@code 2l+1} is its
     * pooling, without parameters) {@code 2l_W [filters, inChannels·kernel·kernel]} (DL4J's {@code
     * [filters, inChannels, kernel, kernel]} row-major) and {@code 2l_b [1, filters]}; then the
     * dense layer {@code 2n_W [flat, dense]}, {@code 2n_b [1, dense]}, where {@code flat} is the
     * last pooled map flattened channel-first as DL4J's {@code CnnToFeedForwardPreProcessor} does
     * ({@code channel·h·w + y·w + x}); then the output layer {@code (2n+1)_W [dense, maxLabels]},
     * {@code (2n+1)_b [1, maxLabels]}.
     */
    @Override
    public ParameterLayout layout(ModelSpec spec) {
        CnnGeometry g = CnnGeometry.of(spec);
        ParameterLayout.Builder layout = ParameterLayout.builder();
        for (int l = 0; l < g.convolutions(); l++) {
            int layer = CnnGeometry.convLayer(l);
            layout.add(layer + "_W", g.filters()[l], g.inChannels()[l] * g.kernel() * g.kernel())
                    .add(layer + "_b", 1, g.filters()[l]);
        }
        int dense = g.denseLayer();
        return layout.add(dense + "_W", g.flat(), g.dense())
                .add(dense + "_b", 1, g.dense())
                .add((dense + 1) + "_W", g.dense(), g.slots())
                .add((dense + 1) + "_b", 1, g.slots())
                .build();
    }

    @Override
    public Topic<String, ?> inputTopic() {
        return Topics.IMAGE_EVENTS;
    }

    /** Keeps the labels the published model learned, in their slots. */
    @Override
    public ModelSpec continuing(ModelSpec configured, ModelSpec published) {
        return configured.with(CnnClassifierSpec.LABELS, published.get(CnnClassifierSpec.LABELS));
    }
}
