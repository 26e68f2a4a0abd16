package dev.streamlearn.scorer;

import dev.streamlearn.scorer.family.lstm.SeriesScoring;
import dev.streamlearn.scorer.family.mlp.VectorScoring;
import dev.streamlearn.scorer.family.text.TextScoring;
import dev.streamlearn.scorer.scoring.ScoringFamily;
import java.util.List;

/** Every family the scorer scores, listed once: where a new family's scoring registers. */
final class ScoringFamilies {
    static final List<ScoringFamily> ALL =
            List.of(new TextScoring(), new SeriesScoring(), new VectorScoring());

    private ScoringFamilies() {}
}
