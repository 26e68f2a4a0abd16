package dev.streamlearn.scorer.family.text;

import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.family.text.TextPrediction;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.avro.TokenContribution;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.registry.StoreNames;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.scorer.scoring.ScoringProcessor;
import dev.streamlearn.scorer.scoring.ServedModel;
import dev.streamlearn.scorer.scoring.ServingModel;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Scores {@code text-events} into {@code text-scores}: class probabilities, the predicted label,
 * the tokens that explain it with their exact contributions to its logit, and the version used.
 */
public final class TextScoringProcessor extends ScoringProcessor<TextClassifierModel> {
    public TextScoringProcessor(
            ServedModel model,
            LiveRegistry registry,
            ScorerOptions options,
            ScorerMetrics metrics) {
        super(model, StoreNames.PENDING_TEXT, TextClassifierModel::new, registry, options, metrics);
    }

    @Override
    protected void score(RecordOrigin origin, ServingModel.Serving<TextClassifierModel> serving) {
        TextEvent event = decode(origin, Topics.TEXT_EVENTS, "text event");
        if (event == null) {
            return; // dead-lettered (by the first model on the topic)
        }
        TextPrediction prediction = serving.model().predict(event.getText());
        List<TokenContribution> explanation =
                prediction.strongest(options.topTokens()).stream()
                        .map(c -> new TokenContribution(c.token(), c.contribution()))
                        .toList();
        TextScore score =
                new TextScore(
                        event.getId(),
                        event.getEventTime(),
                        prediction.label() == null ? "" : prediction.label(),
                        prediction.probabilities(),
                        explanation,
                        event.getLabel(),
                        modelName(),
                        serving.version(),
                        Instant.now(),
                        null);
        context.forward(
                new Record<Object, Object>(event.getId(), score, origin.timestamp()),
                TextScoring.SINK);
        metrics.textScored.increment();
    }
}
