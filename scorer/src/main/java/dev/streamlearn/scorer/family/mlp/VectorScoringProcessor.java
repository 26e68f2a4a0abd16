package dev.streamlearn.scorer.family.mlp;

import dev.streamlearn.models.family.mlp.MlpClassifierModel;
import dev.streamlearn.models.family.mlp.VectorPrediction;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.schemas.avro.VectorScore;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.scorer.scoring.ScoringProcessor;
import dev.streamlearn.scorer.scoring.ServedModel;
import dev.streamlearn.scorer.scoring.ServingModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Scores {@code vector-events} into {@code vector-scores}: class probabilities, the predicted
 * label, each feature's contribution to its logit (gradient × input), and the version used. A
 * vector the model cannot read (another length, a value that is not finite) is dead-lettered with
 * the reason.
 */
public final class VectorScoringProcessor extends ScoringProcessor<MlpClassifierModel> {
    public VectorScoringProcessor(
            ServedModel model,
            LiveRegistry registry,
            ScorerOptions options,
            ScorerMetrics metrics) {
        super(
                model,
                VectorScoring.PENDING_STORE,
                MlpClassifierModel::new,
                registry,
                options,
                metrics);
    }

    @Override
    protected void score(RecordOrigin origin, ServingModel.Serving<MlpClassifierModel> serving) {
        VectorEvent event = decode(origin, Topics.VECTOR_EVENTS, "vector event");
        if (event == null) {
            return; // dead-lettered (by the first model on the topic)
        }
        double[] features = new double[event.getFeatures().size()];
        for (int i = 0; i < features.length; i++) {
            features[i] = event.getFeatures().get(i);
        }
        VectorPrediction prediction = serving.model().predict(features);
        List<Double> contributions = new ArrayList<>(features.length);
        for (double c : prediction.contributions()) {
            contributions.add(c);
        }
        VectorScore score =
                new VectorScore(
                        event.getId(),
                        event.getEventTime(),
                        prediction.predictedLabel() == null ? "" : prediction.predictedLabel(),
                        prediction.probabilities(),
                        contributions,
                        event.getLabel(),
                        modelName(),
                        serving.version(),
                        Instant.now());
        context.forward(
                new Record<Object, Object>(event.getId(), score, origin.timestamp()),
                VectorScoring.SINK);
        metrics.vectorScored.increment();
    }
}
