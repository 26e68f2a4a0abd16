package dev.streamlearn.models.family.mlp;

import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.Param;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import java.util.List;

/**
 * {@code mlp-classifier}: feature vector → dense layers → softmax ({@link MlpClassifierSpec}).
 * Learns from labelled and scores every {@code vector-events} record.
 */
public enum MlpClassifierFamily implements ModelFamily {
    INSTANCE;

    public static final String ID = "mlp-classifier";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Param<?>> params() {
        return MlpClassifierSpec.PARAMS;
    }

    /**
     * Per layer {@code l} (DL4J's {@code DenseLayer}s, then its {@code OutputLayer}): {@code l_W
     * [in,out]}, {@code l_b [1,out]}; the last layer's {@code out} is {@code maxLabels}.
     */
    @Override
    public ParameterLayout layout(ModelSpec spec) {
        ParameterLayout.Builder layout = ParameterLayout.builder();
        int in = spec.get(MlpClassifierSpec.INPUTS);
        int[] hidden = MlpClassifierSpec.hiddenSizes(spec);
        for (int l = 0; l < hidden.length; l++) {
            layout.add(l + "_W", in, hidden[l]).add(l + "_b", 1, hidden[l]);
            in = hidden[l];
        }
        int k = spec.get(MlpClassifierSpec.MAX_LABELS);
        return layout.add(hidden.length + "_W", in, k).add(hidden.length + "_b", 1, k).build();
    }

    @Override
    public Topic<String, ?> inputTopic() {
        return Topics.VECTOR_EVENTS;
    }

    /** Keeps the labels the published model learned, in their slots. */
    @Override
    public ModelSpec continuing(ModelSpec configured, ModelSpec published) {
        return configured.with(MlpClassifierSpec.LABELS, published.get(MlpClassifierSpec.LABELS));
    }
}
