package dev.streamlearn.scorer.family.lstm;

import dev.streamlearn.models.family.lstm.ForecastExperts;
import dev.streamlearn.models.family.lstm.LstmForecasterModel;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.SeriesObservation;
import dev.streamlearn.models.family.lstm.SeriesTracker;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.SeriesScore;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.registry.StoreNames;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.scorer.scoring.ScoringProcessor;
import dev.streamlearn.scorer.scoring.ServedModel;
import dev.streamlearn.scorer.scoring.ServingModel;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scores {@code series-points} into {@code series-scores}. Per series it keeps a {@link
 * SeriesTracker} (last W values and anomaly scale) in a changelogged store; each point is checked
 * against the forecast made from the W points before it — the error and anomaly score are the same
 * code {@code streamlearn evaluate} uses — and the forecast of the next point is published and kept
 * with the version that made it, so that while that version serves the LSTM runs once per point.
 *
 * <p>Each point is forecast by the forecaster's expert with the lowest recent error on its series
 * ({@link ForecastExperts}: the whole model, its linear part alone, or persistence, whose recent
 * errors the tracker keeps in the same store), so a series whose model is worse than persistence on
 * its recent points is scored with persistence's forecast, and the score's {@code forecastBy} names
 * the expert (issue 17, item 4). The anomaly score stays that of the whole model's error, whichever
 * expert forecast the point: persistence follows a run of anomalies as closely as it follows the
 * series, and flags it less (BENCHMARKS.md, "Series scored by their best expert").
 */
public final class SeriesScoringProcessor extends ScoringProcessor<LstmForecasterModel> {
    private final String trackersStore;
    private KeyValueStore<String, byte[]> trackers;

    public SeriesScoringProcessor(
            ServedModel model,
            LiveRegistry registry,
            ScorerOptions options,
            ScorerMetrics metrics) {
        super(
                model,
                StoreNames.PENDING_SERIES,
                LstmForecasterModel::new,
                registry,
                options,
                metrics);
        this.trackersStore = storeName(StoreNames.SERIES_TRACKERS);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        trackers = context.getStateStore(trackersStore);
        super.init(context);
    }

    @Override
    protected void score(RecordOrigin origin, ServingModel.Serving<LstmForecasterModel> serving) {
        SeriesPoint point = decode(origin, Topics.SERIES_POINTS, "series point");
        if (point == null) {
            return; // dead-lettered (by the first model on the topic)
        }
        LstmForecasterModel model = serving.model();
        SeriesStates.Saved saved = saved(point.getSeriesId(), model.weights().spec());
        SeriesTracker tracker =
                saved == null
                        ? new SeriesTracker(model.weights().spec())
                        : SeriesTracker.restore(model.weights().spec(), saved.tracker());
        ForecastExperts.State before = tracker.experts();
        // The forecast of this point was made after the previous one; reuse it only if the
        // version serving now made it, so the score names the version that computed it.
        SeriesObservation observed =
                tracker.observe(
                        point.getValue(),
                        model,
                        saved == null ? Double.NaN : saved.nextForecastBy(serving.version()));
        // Kept is the whole model's forecast: the next point's anomaly score and expert errors
        // need it, and it is what the LSTM would compute again.
        double modelNext = tracker.modelForecastNext(model);
        trackers.put(
                point.getSeriesId(),
                SeriesStates.encode(tracker.state(), modelNext, serving.version()));
        boolean scored = observed.hasForecast();
        boolean evidence = scored && before.count() > 0;
        SeriesScore score =
                new SeriesScore(
                        point.getSeriesId(),
                        point.getEventTime(),
                        point.getValue(),
                        orNull(observed.forecast()),
                        scored ? observed.error() : null,
                        orNull(observed.anomalyScore()),
                        orNull(tracker.forecastNext(model, modelNext)),
                        modelName(),
                        serving.version(),
                        Instant.now(),
                        scored ? ForecastExperts.name(observed.expert()) : null,
                        orNull(observed.modelForecast()),
                        evidence ? before.mae()[ForecastExperts.MODEL] : null,
                        evidence ? before.mae()[ForecastExperts.PERSISTENCE] : null);
        context.forward(
                new Record<Object, Object>(point.getSeriesId(), score, origin.timestamp()),
                SeriesScoring.SINK);
        if (scored) {
            metrics.seriesScoredBy(observed.expert()).increment();
        }
        metrics.seriesScored.increment();
    }

    /**
     * The series' saved state; null if none exists or it holds fewer points than the serving
     * model's window needs. It may hold more or fewer than the serving model's history (its seasons
     * differ from those of the version that kept it): {@link SeriesTracker#restore} takes what
     * fits.
     */
    private SeriesStates.Saved saved(String seriesId, ModelSpec spec) {
        byte[] bytes = trackers.get(seriesId);
        if (bytes == null) {
            return null;
        }
        SeriesStates.Saved saved = SeriesStates.decode(bytes);
        SeriesTracker.State state = saved.tracker();
        int window = spec.get(LstmForecasterSpec.WINDOW);
        int held = state.lastValues().length;
        return held >= Math.min(state.seen(), window) && held <= state.seen() ? saved : null;
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
