package dev.streamlearn.models.spec;

import java.util.List;

/** The model families, by the name that {@code ModelVersion.kind} and the CLI use. */
public enum ModelKind {
    LSTM_FORECASTER("lstm-forecaster"),
    TEXT_CLASSIFIER("text-classifier");

    private final String id;

    ModelKind(String id) {
        this.id = id;
    }

    /** The family's name, e.g. {@code lstm-forecaster}. */
    public String id() {
        return id;
    }

    /** Every hyper-parameter of this family, in declaration order. */
    public List<Param<?>> params() {
        // A switch rather than a constructor argument: the spec classes must not be initialised
        // while this enum is.
        return switch (this) {
            case LSTM_FORECASTER -> LstmForecasterSpec.PARAMS;
            case TEXT_CLASSIFIER -> TextClassifierSpec.PARAMS;
        };
    }

    /** Looks a family up by {@link #id()}. */
    public static ModelKind fromId(String id) {
        for (ModelKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(
                "unknown model kind '" + id + "': expected lstm-forecaster or text-classifier");
    }
}
