package dev.streamlearn.models.family.text;

import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.Param;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code text-classifier}: hashed tokens → embedding → average → softmax ({@link
 * TextClassifierSpec}). Learns from labelled and scores every {@code text-events} record.
 */
public enum TextClassifierFamily implements ModelFamily {
    INSTANCE;

    public static final String ID = "text-classifier";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Param<?>> params() {
        return TextClassifierSpec.PARAMS;
    }

    /**
     * {@code 0_W [V,D]} (embedding), layer 1 (average pooling) has none, {@code 2_W [D,K], 2_b
     * [1,K]} (softmax output).
     */
    @Override
    public ParameterLayout layout(ModelSpec spec) {
        int v = spec.get(TextClassifierSpec.VOCAB_SIZE);
        int d = spec.get(TextClassifierSpec.EMBEDDING_SIZE);
        int k = spec.get(TextClassifierSpec.MAX_LABELS);
        return ParameterLayout.builder().add("0_W", v, d).add("2_W", d, k).add("2_b", 1, k).build();
    }

    @Override
    public Topic<String, ?> inputTopic() {
        return Topics.TEXT_EVENTS;
    }

    /**
     * Keeps the labels the published model learned, in their slots, and the slots it grew to
     * ({@link LabelGrowth}) when they are more than the configured ones: a grown model is the
     * configured one after its stream brought more labels, not a change of shape.
     */
    @Override
    public ModelSpec continuing(ModelSpec configured, ModelSpec published) {
        ModelSpec labelled =
                configured.with(
                        TextClassifierSpec.LABELS, published.get(TextClassifierSpec.LABELS));
        int grown = published.get(TextClassifierSpec.MAX_LABELS);
        return grown > configured.get(TextClassifierSpec.MAX_LABELS)
                ? labelled.with(TextClassifierSpec.MAX_LABELS, grown)
                : labelled;
    }

    /**
     * Weights written before edge tokens existed name no {@code edgeTokens}: they were trained on
     * words alone and still score as they did. Their one learning rate was both layers'.
     */
    @Override
    public Map<String, String> storedSpec(Map<String, String> stored) {
        Map<String, String> named = new LinkedHashMap<>(stored);
        named.putIfAbsent(TextClassifierSpec.EDGE_TOKENS.name(), "0");
        String learningRate = stored.get(TextClassifierSpec.LEARNING_RATE.name());
        if (learningRate != null) {
            named.putIfAbsent(TextClassifierSpec.EMBEDDING_LEARNING_RATE.name(), learningRate);
        }
        return named;
    }
}
