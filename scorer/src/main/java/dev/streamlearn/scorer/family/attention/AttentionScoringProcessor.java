package dev.streamlearn.scorer.family.attention;

import dev.streamlearn.models.family.attention.AttentionPrediction;
import dev.streamlearn.models.family.attention.AttentionTextModel;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.avro.TokenAttention;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.scorer.scoring.ScoringProcessor;
import dev.streamlearn.scorer.scoring.ServedModel;
import dev.streamlearn.scorer.scoring.ServingModel;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Scores {@code text-events} into {@code text-scores} with an {@code attention-text-classifier}:
 * class probabilities, the predicted label, the version used, and per distinct token read the
 * attention its pooled representation paid to it ({@code attention}, TextScore v2). {@code
 * topTokens} is empty: the model has no exact per-token share of a logit, which that field
 * promises. Counted among the text scores ({@code ScorerMetrics.textScored}): they go to the same
 * topic.
 */
public final class AttentionScoringProcessor extends ScoringProcessor<AttentionTextModel> {
    public AttentionScoringProcessor(
            ServedModel model,
            LiveRegistry registry,
            ScorerOptions options,
            ScorerMetrics metrics) {
        super(
                model,
                AttentionScoring.PENDING_STORE,
                AttentionTextModel::new,
                registry,
                options,
                metrics);
    }

    @Override
    protected void score(RecordOrigin origin, ServingModel.Serving<AttentionTextModel> serving) {
        TextEvent event = decode(origin, Topics.TEXT_EVENTS, "text event");
        if (event == null) {
            return; // dead-lettered (by the first model on the topic)
        }
        AttentionPrediction prediction = serving.model().predict(event.getText());
        List<TokenAttention> attention =
                prediction.attention().stream()
                        .map(a -> new TokenAttention(a.token(), a.attention()))
                        .toList();
        TextScore score =
                TextScore.newBuilder()
                        .setEventId(event.getId())
                        .setEventTime(event.getEventTime())
                        .setPredictedLabel(prediction.label() == null ? "" : prediction.label())
                        .setProbabilities(prediction.probabilities())
                        .setTopTokens(List.of())
                        .setTrueLabel(event.getLabel())
                        .setModel(modelName())
                        .setModelVersion(serving.version())
                        .setScoredAt(Instant.now())
                        .setAttention(attention)
                        .build();
        context.forward(
                new Record<Object, Object>(event.getId(), score, origin.timestamp()),
                AttentionScoring.SINK);
        metrics.textScored.increment();
    }
}
