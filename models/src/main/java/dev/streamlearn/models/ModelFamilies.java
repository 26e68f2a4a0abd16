package dev.streamlearn.models;

import dev.streamlearn.models.family.attention.AttentionTextFamily;
import dev.streamlearn.models.family.cnn.CnnClassifierFamily;
import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.mlp.MlpClassifierFamily;
import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.models.spec.ModelFamily;
import java.util.List;

/** Every model family, listed once: the one place a new family registers (ARCHITECTURE.md). */
public final class ModelFamilies {
    private static final List<ModelFamily> ALL =
            List.of(
                    LstmForecasterFamily.INSTANCE,
                    TextClassifierFamily.INSTANCE,
                    MlpClassifierFamily.INSTANCE,
                    CnnClassifierFamily.INSTANCE,
                    AttentionTextFamily.INSTANCE);

    /**
     * The families a job without a pipeline file trains and serves, one model each. {@code
     * mlp-classifier} and {@code cnn-classifier} are not among them: each reads a topic of its own
     * ({@code vector-events}, {@code image-events}) and is declared in a pipeline file, so a job
     * that ran without a file keeps doing what it did. Nor is {@code attention-text-classifier}, an
     * alternative to {@code text-classifier} on {@code text-events} that a file declares.
     */
    private static final List<ModelFamily> DEFAULT_PIPELINE =
            List.of(LstmForecasterFamily.INSTANCE, TextClassifierFamily.INSTANCE);

    private ModelFamilies() {}

    /** The families of {@code Pipeline.defaults()}: the job without a pipeline file. */
    public static List<ModelFamily> inDefaultPipeline() {
        return DEFAULT_PIPELINE;
    }

    public static List<ModelFamily> all() {
        return ALL;
    }

    /**
     * Looks a family up by {@link ModelFamily#id()}.
     *
     * @throws IllegalArgumentException naming the id and the known ones
     */
    public static ModelFamily byId(String id) {
        for (ModelFamily family : ALL) {
            if (family.id().equals(id)) {
                return family;
            }
        }
        throw new IllegalArgumentException(
                "unknown model kind '"
                        + id
                        + "': expected one of "
                        + ALL.stream().map(ModelFamily::id).toList());
    }
}
