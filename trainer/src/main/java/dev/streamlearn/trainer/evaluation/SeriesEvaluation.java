package dev.streamlearn.trainer.evaluation;

import dev.streamlearn.models.family.lstm.SeriesObservation;
import dev.streamlearn.models.family.lstm.SeriesTracker;
import dev.streamlearn.models.metrics.RegressionMetrics;
import dev.streamlearn.models.metrics.RocAuc;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.trainer.family.lstm.LstmForecasterTraining;
import dev.streamlearn.trainer.family.lstm.SeriesLearner;
import dev.streamlearn.trainer.learning.Offer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prequential (test-then-train) evaluation of {@code lstm-forecaster} (Dawid 1984; Gama et al.
 * 2013) over one or many series sharing one model: each point is first forecast by the {@code
 * models} kernel from the W points before it, with the weights learned so far, then learned. The
 * persistence forecast (the previous value) is scored on exactly the same points. With anomaly
 * labels, the ROC AUC of the anomaly score is reported next to that of persistence's |error|.
 */
public final class SeriesEvaluation {
    private final ModelSpec spec;
    private final SeriesLearner learner;
    private final Map<String, SeriesTracker> trackers = new HashMap<>();
    private final RegressionMetrics model = new RegressionMetrics();
    private final RegressionMetrics persistence = new RegressionMetrics();
    private final RocAuc anomalyAuc = new RocAuc();
    private final RocAuc absoluteErrorAuc = new RocAuc();
    private final RocAuc persistenceAuc = new RocAuc();
    private final Rejections rejectedRows = new Rejections();
    private final Rejections rejectedForTraining = new Rejections();
    private long points;
    private long startNanos = -1;
    private long endNanos;

    public SeriesEvaluation(ModelSpec spec) {
        this.spec = spec;
        this.learner = LstmForecasterTraining.INSTANCE.newLearner(spec);
    }

    /**
     * Scores, then learns, one point.
     *
     * @param anomaly the point's anomaly label, or null when unknown
     */
    public void accept(SeriesPoint point, Boolean anomaly) {
        if (startNanos < 0) {
            startNanos = System.nanoTime();
        }
        points++;
        SeriesTracker tracker =
                trackers.computeIfAbsent(point.getSeriesId(), id -> new SeriesTracker(spec));
        SeriesObservation o = tracker.observe(point.getValue(), learner.model());
        if (o.hasForecast()) {
            model.add(o.error());
            persistence.add(o.persistenceError());
            if (anomaly != null) {
                anomalyAuc.add(o.anomalyScore(), anomaly);
                absoluteErrorAuc.add(Math.abs(o.error()), anomaly);
                persistenceAuc.add(Math.abs(o.persistenceError()), anomaly);
            }
            Offer offer = learner.offer(o.window(), o.value());
            if (offer.status() == Offer.Status.REJECTED) {
                rejectedForTraining.add(
                        point.getSeriesId()
                                + "@"
                                + point.getEventTime()
                                + ": "
                                + offer.rejection().reason());
            }
        }
        endNanos = System.nanoTime();
    }

    /** Counts a row that never became a point. */
    public void rejectRow(String description) {
        rejectedRows.add(description);
    }

    public RegressionMetrics modelMetrics() {
        return model;
    }

    public RegressionMetrics persistenceMetrics() {
        return persistence;
    }

    public double anomalyAuc() {
        return anomalyAuc.auc();
    }

    public double persistenceAuc() {
        return persistenceAuc.auc();
    }

    /** The report {@code streamlearn evaluate series} prints. */
    public Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        double seconds = startNanos < 0 ? 0 : (endNanos - startNanos) / 1e9;
        r.put("kind", spec.kind().id());
        r.put("examples", model.count());
        r.put("points", points);
        r.put("series", trackers.size());
        r.put("seconds", seconds);
        r.put("examplesPerSecond", seconds > 0 ? points / seconds : 0.0);
        r.put("model", model.toMap());
        r.put("baseline", persistence.toMap());
        r.put("baselineName", "persistence (previous value)");
        r.put("maeRatioToBaseline", model.mae() / persistence.mae());
        if (anomalyAuc.size() > 0) {
            r.put("anomalyAuc", anomalyAuc.auc());
            r.put("absoluteErrorAuc", absoluteErrorAuc.auc());
            r.put("persistenceAnomalyAuc", persistenceAuc.auc());
            r.put("anomalyLabelledPoints", anomalyAuc.size());
        }
        r.put("rejected", rejectedRows.toMap());
        r.put("rejectedForTraining", rejectedForTraining.toMap());
        r.put("fits", learner.fits());
        r.put("reverts", learner.reverts());
        r.put("spec", spec.toMap());
        return r;
    }
}
