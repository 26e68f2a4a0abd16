package dev.streamlearn.trainer.evaluation;

import dev.streamlearn.models.family.lstm.SeriesObservation;
import dev.streamlearn.models.family.lstm.SeriesTracker;
import dev.streamlearn.models.forecast.Season;
import dev.streamlearn.models.forecast.SeriesBaselines;
import dev.streamlearn.models.metrics.RegressionMetrics;
import dev.streamlearn.models.metrics.RocAuc;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.trainer.family.lstm.LstmForecasterTraining;
import dev.streamlearn.trainer.family.lstm.SeriesLearner;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.training.DriftLosses;
import dev.streamlearn.trainer.training.DriftWatch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prequential (test-then-train) evaluation of {@code lstm-forecaster} (Dawid 1984; Gama et al.
 * 2013) over one or many series sharing one model: each point is first forecast by the {@code
 * models} kernel from the W points before it, with the weights learned so far, then learned. Three
 * baselines ({@link SeriesBaselines}), each kept per series and run test-then-train in the same
 * pass, are scored on exactly the same points: persistence (the previous value), seasonal naive
 * (the value one season ago, the season declared or detected per series) and an online AR(p) with
 * intercept fitted by recursive least squares to the series' raw values. Every MAE is in the
 * series' own units; MASE is a MAE over seasonal naive's MAE on the same points (Hyndman and
 * Koehler 2006, with the out-of-sample seasonal naive as the scale). With anomaly labels, the ROC
 * AUC of the model's anomaly score is reported next to that of persistence's |error|. Drift
 * detection and its action run as in the trainer ({@link DriftWatch}).
 */
public final class SeriesEvaluation {
    /** The most series the report lists one by one. */
    static final int PER_SERIES_LISTED = 100;

    private final ModelSpec spec;
    private final SeriesLearner learner;
    private final SeriesBaselineOptions baselineOptions;
    private final Map<String, PerSeries> series = new LinkedHashMap<>();
    private final RegressionMetrics model = new RegressionMetrics();
    private final RegressionMetrics persistence = new RegressionMetrics();
    private final RegressionMetrics seasonalNaive = new RegressionMetrics();
    private final RegressionMetrics autoRegression = new RegressionMetrics();
    private final RocAuc anomalyAuc = new RocAuc();
    private final DriftWatch drift;
    private final RocAuc absoluteErrorAuc = new RocAuc();
    private final RocAuc persistenceAuc = new RocAuc();
    private final PrequentialPass pass = new PrequentialPass();
    private long points;

    public SeriesEvaluation(ModelSpec spec) {
        this(spec, SeriesBaselineOptions.defaults(spec));
    }

    public SeriesEvaluation(ModelSpec spec, SeriesBaselineOptions baselineOptions) {
        this.spec = spec;
        this.baselineOptions = baselineOptions;
        this.learner = LstmForecasterTraining.INSTANCE.newLearner(spec);
        this.drift = new DriftWatch(DriftWatch.Options.defaults(spec));
    }

    /** One series' window, baselines and metrics. */
    private final class PerSeries {
        final SeriesTracker tracker = new SeriesTracker(spec);
        final SeriesBaselines baselines =
                new SeriesBaselines(
                        baselineOptions.arOrder(),
                        baselineOptions.arForgetting(),
                        baselineOptions.season());
        final RegressionMetrics model = new RegressionMetrics();
        final RegressionMetrics persistence = new RegressionMetrics();
        final RegressionMetrics seasonalNaive = new RegressionMetrics();
        final RegressionMetrics autoRegression = new RegressionMetrics();
    }

    /**
     * Scores, then learns, one point.
     *
     * @param anomaly the point's anomaly label, or null when unknown
     */
    public void accept(SeriesPoint point, Boolean anomaly) {
        pass.arrived();
        points++;
        PerSeries s = series.computeIfAbsent(point.getSeriesId(), id -> new PerSeries());
        SeriesBaselines.Forecasts baseline = s.baselines.forecastNext();
        SeriesObservation o = s.tracker.observe(point.getValue(), learner.model());
        s.baselines.observe(point.getValue());
        if (o.hasForecast()) {
            double seasonalError = o.value() - baseline.seasonalNaive();
            double arError = o.value() - baseline.autoRegression();
            model.add(o.error());
            persistence.add(o.persistenceError());
            seasonalNaive.add(seasonalError);
            autoRegression.add(arError);
            s.model.add(o.error());
            s.persistence.add(o.persistenceError());
            s.seasonalNaive.add(seasonalError);
            s.autoRegression.add(arError);
            if (anomaly != null) {
                anomalyAuc.add(o.anomalyScore(), anomaly);
                absoluteErrorAuc.add(Math.abs(o.error()), anomaly);
                persistenceAuc.add(Math.abs(o.persistenceError()), anomaly);
            }
            drift.watch(DriftLosses.series(o.modelError(), o.window()), learner);
            Offer offer = learner.offer(o.window(), o.value());
            if (offer.status() == Offer.Status.REJECTED) {
                pass.rejectForTraining(
                        point.getSeriesId()
                                + "@"
                                + point.getEventTime()
                                + ": "
                                + offer.rejection().reason());
            }
        }
        pass.done();
    }

    /** Counts a row that never became a point. */
    public void rejectRow(String description) {
        pass.rejectRow(description);
    }

    /** The trainer's drift watch, run on the same points. */
    public DriftWatch drift() {
        return drift;
    }

    public RegressionMetrics modelMetrics() {
        return model;
    }

    public RegressionMetrics persistenceMetrics() {
        return persistence;
    }

    public RegressionMetrics seasonalNaiveMetrics() {
        return seasonalNaive;
    }

    public RegressionMetrics autoRegressionMetrics() {
        return autoRegression;
    }

    /** The season each series' seasonal naive baseline uses, in order of first appearance. */
    public Map<String, Season> seasons() {
        Map<String, Season> out = new LinkedHashMap<>();
        series.forEach((id, s) -> out.put(id, s.baselines.season()));
        return out;
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
        double seconds = pass.seconds();
        r.put("kind", spec.kind().id());
        r.put("examples", model.count());
        r.put("points", points);
        r.put("series", series.size());
        r.put("seconds", seconds);
        r.put("examplesPerSecond", seconds > 0 ? points / seconds : 0.0);
        r.put("model", model.toMap());
        r.put("baseline", persistence.toMap());
        r.put("baselineName", "persistence (previous value)");
        r.put("maeRatioToBaseline", model.mae() / persistence.mae());
        r.put("baselines", baselinesReport());
        r.put("mase", mase(model, persistence, seasonalNaive, autoRegression));
        r.put("season", seasonReport());
        r.put("perSeries", perSeriesReport());
        if (series.size() > PER_SERIES_LISTED) {
            r.put("perSeriesLeftOut", series.size() - PER_SERIES_LISTED);
        }
        if (anomalyAuc.size() > 0) {
            r.put("anomalyAuc", anomalyAuc.auc());
            r.put("absoluteErrorAuc", absoluteErrorAuc.auc());
            r.put("persistenceAnomalyAuc", persistenceAuc.auc());
            r.put("anomalyLabelledPoints", anomalyAuc.size());
        }
        // the learner's spec is the one it was made with: a forecaster grows no labels
        pass.reportTail(r, drift, learner);
        return r;
    }

    private Map<String, Object> baselinesReport() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("description", "the previous value");
        p.putAll(persistence.toMap());
        Map<String, Object> sn = new LinkedHashMap<>();
        sn.put(
                "description",
                "the value one season ago (each series' season under 'season'); the previous"
                        + " value until the series has a season and a season of points");
        sn.putAll(seasonalNaive.toMap());
        Map<String, Object> ar = new LinkedHashMap<>();
        ar.put(
                "description",
                "AR("
                        + baselineOptions.arOrder()
                        + ") with intercept, fitted per series by recursive least squares to its"
                        + " raw values (forgetting factor "
                        + baselineOptions.arForgetting()
                        + "), forecasts in the series' units; the previous value until it has"
                        + " learned from one pair");
        ar.put("order", baselineOptions.arOrder());
        ar.put("forgettingFactor", baselineOptions.arForgetting());
        ar.putAll(autoRegression.toMap());
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("persistence", p);
        b.put("seasonalNaive", sn);
        b.put("autoRegression", ar);
        return b;
    }

    /** MAE over seasonal naive's MAE on the same points. */
    private static Map<String, Double> mase(
            RegressionMetrics model,
            RegressionMetrics persistence,
            RegressionMetrics seasonalNaive,
            RegressionMetrics autoRegression) {
        double scale = seasonalNaive.mae();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("model", model.mae() / scale);
        m.put("persistence", persistence.mae() / scale);
        m.put("seasonalNaive", seasonalNaive.mae() / scale);
        m.put("autoRegression", autoRegression.mae() / scale);
        return m;
    }

    private Map<String, Object> seasonReport() {
        Map<String, Object> r = new LinkedHashMap<>();
        if (baselineOptions.season() > 0) {
            r.put("how", "declared (--season)");
            r.put("declared", baselineOptions.season());
        } else {
            r.put(
                    "how",
                    "detected per series from its first points (autocorrelation of differences);"
                            + " 1 = persistence when none is clear");
        }
        // e.g. {"7 detected": 1, "1 none": 4}: how many series use which season, and why
        Map<String, Integer> counts = new TreeMap<>();
        for (PerSeries s : series.values()) {
            Season season = s.baselines.season();
            counts.merge(season.length() + " " + season.source().id(), 1, Integer::sum);
        }
        r.put("seriesBySeason", counts);
        return r;
    }

    private Map<String, Object> perSeriesReport() {
        Map<String, Object> r = new LinkedHashMap<>();
        for (Map.Entry<String, PerSeries> e : series.entrySet()) {
            if (r.size() == PER_SERIES_LISTED) {
                break;
            }
            PerSeries s = e.getValue();
            Season season = s.baselines.season();
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("examples", s.model.count());
            one.put("season", season.length());
            one.put("seasonSource", season.source().id());
            one.put("seasonDecidedAfterPoints", season.decidedAfter());
            Map<String, Double> mae = new LinkedHashMap<>();
            mae.put("model", s.model.mae());
            mae.put("persistence", s.persistence.mae());
            mae.put("seasonalNaive", s.seasonalNaive.mae());
            mae.put("autoRegression", s.autoRegression.mae());
            one.put("mae", mae);
            one.put("mase", mase(s.model, s.persistence, s.seasonalNaive, s.autoRegression));
            r.put(e.getKey(), one);
        }
        return r;
    }
}
