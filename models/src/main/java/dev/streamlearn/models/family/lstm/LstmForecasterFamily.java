package dev.streamlearn.models.family.lstm;

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
 * {@code lstm-forecaster}: windows of one series → LSTM → the next value ({@link
 * LstmForecasterSpec}). Learns from and scores {@code series-points}.
 */
public enum LstmForecasterFamily implements ModelFamily {
    INSTANCE;

    public static final String ID = "lstm-forecaster";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Param<?>> params() {
        return LstmForecasterSpec.PARAMS;
    }

    /**
     * {@code 0_W [1,4H], 0_RW [H,4H], 0_b [1,4H]} (LSTM; the 4H axis holds the gate blocks in
     * DL4J's order: cell candidate, forget, output, input), then {@code 1_W [H,1], 1_b [1,1]}
     * (dense output); with the linear part ({@code structure=linear+lstm}) then {@code lin_W [F,1],
     * lin_b [1,1]}, F = window + 2 × seasons, in {@link LinearPart}'s input order. The LSTM's
     * blocks come first so that they lie where they always have.
     */
    @Override
    public ParameterLayout layout(ModelSpec spec) {
        int h = spec.get(LstmForecasterSpec.HIDDEN_SIZE);
        ParameterLayout.Builder layout =
                ParameterLayout.builder()
                        .add("0_W", 1, 4 * h)
                        .add("0_RW", h, 4 * h)
                        .add("0_b", 1, 4 * h)
                        .add("1_W", h, 1)
                        .add("1_b", 1, 1);
        if (LstmForecasterSpec.hasLinearPart(spec)) {
            layout.add(LinearPart.WEIGHTS, LstmForecasterSpec.linearInputs(spec), 1)
                    .add(LinearPart.BIAS, 1, 1);
        }
        return layout.build();
    }

    /**
     * Weights written before the linear part existed name no {@code structure}: they are the LSTM
     * alone, and still score as they did.
     */
    @Override
    public Map<String, String> storedSpec(Map<String, String> stored) {
        if (stored.containsKey(LstmForecasterSpec.STRUCTURE.name())) {
            return stored;
        }
        Map<String, String> named = new LinkedHashMap<>(stored);
        named.put(LstmForecasterSpec.STRUCTURE.name(), LstmForecasterSpec.LSTM_ONLY);
        return named;
    }

    @Override
    public Topic<String, ?> inputTopic() {
        return Topics.SERIES_POINTS;
    }
}
