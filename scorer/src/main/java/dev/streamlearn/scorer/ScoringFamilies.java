package dev.streamlearn.scorer;

import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.scorer.family.attention.AttentionScoring;
import dev.streamlearn.scorer.family.cnn.ImageScoring;
import dev.streamlearn.scorer.family.lstm.SeriesScoring;
import dev.streamlearn.scorer.family.mlp.VectorScoring;
import dev.streamlearn.scorer.family.text.TextScoring;
import dev.streamlearn.scorer.scoring.ScoringFamily;
import java.util.List;

/** Every family the scorer scores, listed once: where a new family's scoring registers. */
public final class ScoringFamilies {
    static final List<ScoringFamily> ALL =
            List.of(
                    new TextScoring(),
                    new SeriesScoring(),
                    new VectorScoring(),
                    new ImageScoring(),
                    new AttentionScoring());

    private ScoringFamilies() {}

    /**
     * Where the scorer writes the scores of {@code family}'s models.
     *
     * @throws IllegalArgumentException if the scorer does not score that family
     */
    public static Topic<?, ?> scoresTopic(ModelFamily family) {
        return ALL.stream()
                .filter(f -> f.family().equals(family))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "the scorer scores no " + family.id() + " models"))
                .scores();
    }
}
