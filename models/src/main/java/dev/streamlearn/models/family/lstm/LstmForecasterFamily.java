package dev.streamlearn.models.family.lstm;

import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.Param;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import java.util.List;

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
     * (dense output).
     */
    @Override
    public ParameterLayout layout(ModelSpec spec) {
        int h = spec.get(LstmForecasterSpec.HIDDEN_SIZE);
        return ParameterLayout.builder()
                .add("0_W", 1, 4 * h)
                .add("0_RW", h, 4 * h)
                .add("0_b", 1, 4 * h)
                .add("1_W", h, 1)
                .add("1_b", 1, 1)
                .build();
    }

    @Override
    public Topic<String, ?> inputTopic() {
        return Topics.SERIES_POINTS;
    }
}
