package dev.streamlearn.trainer.training;

import dev.streamlearn.ingestion.file.FileRows;
import dev.streamlearn.ingestion.file.Mapped;
import dev.streamlearn.ingestion.file.SeriesFieldMapping;
import dev.streamlearn.ingestion.file.TextFieldMapping;
import dev.streamlearn.ingestion.generate.SyntheticSeries;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.SeriesObservation;
import dev.streamlearn.models.family.lstm.SeriesTracker;
import dev.streamlearn.models.family.text.TestedText;
import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.family.lstm.LstmForecasterTraining;
import dev.streamlearn.trainer.family.lstm.SeriesLearner;
import dev.streamlearn.trainer.family.text.TextClassifierTraining;
import dev.streamlearn.trainer.family.text.TextLearner;
import dev.streamlearn.trainer.learning.Datasets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Drift detection and its action measured (issue 17 item 5; BENCHMARKS.md, "Drift"), on the
 * trainer's own test-then-train loop: text streams whose labels are remapped at a known event, a
 * generated series with a level shift, and the dev streams unchanged. Reports what River's drift
 * evaluation reports (detection delay, missed changes, false alarms, mean time between false
 * alarms) and, for the text changes, how soon prequential accuracy is back to 90% of its level
 * before the change with each action side by side. On the series, a second watch on the same
 * forecasts sees the loss as it was before 2026-12-05 (the error over the window's standard
 * deviation), so before and after come from one run. Deterministic: fixed seeds, file order.
 *
 * <pre>
 * cd trainer && OMP_NUM_THREADS=1 java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     dev.streamlearn.trainer.training.DriftBench [delta]
 * </pre>
 */
public final class DriftBench {
    /** A detection this long after a change is a hit; later, the change was missed. */
    static final int MARGIN = 1_000;

    /** Accuracy is judged over the last this many events. */
    static final int WINDOW = 100;

    private DriftBench() {}

    /**
     * What a text run does on a detection: nothing (the detection only recorded), the trainer's
     * action with its options, or a fresh model from the detection on (what a challenger trained
     * from the change point would learn, had it replaced the model at once).
     */
    enum Arm {
        NONE,
        BOOST_HEAD_10X_500,
        BOOST_HEAD_30X_300,
        BOOST_HEAD_10X_1000,
        FRESH_MODEL
    }

    record TextRun(
            String stream,
            Arm arm,
            int changeAt,
            List<Long> detections,
            double before,
            long recovery,
            double afterAccuracy) {}

    public static void main(String[] args) {
        double delta =
                args.length > 0 ? Double.parseDouble(args[0]) : DriftWatch.Options.DEFAULT_DELTA;
        DriftWatch.Options options = DriftWatch.Options.defaults().withDelta(delta);
        DriftWatch.Options seriesOptions =
                DriftWatch.Options.defaults(LstmForecasterSpec.defaults()).withDelta(delta);
        System.out.printf(Locale.ROOT, "text %s%nseries %s%n", options, seriesOptions);
        List<TextEvent> spam = text("spamassassin.jsonl.gz", List.of("subject", "text"));
        List<TextEvent> debian = text("debian-packages.jsonl.gz", List.of("text"));

        System.out.println("== stationary streams (every detection a false alarm)");
        long events = 0;
        long falseAlarms = 0;
        for (var s : List.of(Map.entry("spamassassin", spam), Map.entry("debian", debian))) {
            TextRun r = runText(s.getKey(), s.getValue(), -1, l -> l, Arm.NONE, options);
            System.out.printf(
                    Locale.ROOT,
                    "%-22s events %6d  false alarms %d at %s%n",
                    s.getKey(),
                    s.getValue().size(),
                    r.detections().size(),
                    r.detections());
            events += s.getValue().size();
            falseAlarms += r.detections().size();
        }
        long seriesEvents = 0;
        long[] seriesAlarms = new long[2];
        for (String[] f :
                new String[][] {
                    {"us-births-1969-1988.csv", null, "births"},
                    {"co2-weekly.csv", null, "co2"},
                    {"sensors-singlehop.csv", "mote_id", "temperature"},
                    {"sensors-singlehop.csv", "mote_id", "humidity"}
                }) {
            List<SeriesPoint> points = series(f[0], f[1], f[2]);
            SeriesRun run = runSeries(points, seriesOptions);
            printStationary(f[0].replace(".csv", "") + ":" + f[2], points.size(), run);
            seriesEvents += points.size();
            seriesAlarms[0] += run.before().size();
            seriesAlarms[1] += run.detections().size();
        }
        for (int seed = 1; seed <= 3; seed++) {
            List<SeriesPoint> points = synthetic(seed, 6_000, -1);
            SeriesRun run = runSeries(points, seriesOptions);
            printStationary("generated seed " + seed, points.size(), run);
            seriesEvents += points.size();
            seriesAlarms[0] += run.before().size();
            seriesAlarms[1] += run.detections().size();
        }
        printTotal("series", seriesEvents, seriesAlarms[0], "before");
        printTotal("series", seriesEvents, seriesAlarms[1], "after");
        printTotal("all", events + seriesEvents, falseAlarms + seriesAlarms[0], "before");
        printTotal("all", events + seriesEvents, falseAlarms + seriesAlarms[1], "after");

        System.out.println("== abrupt changes");
        List<TextRun> runs = new ArrayList<>();
        UnaryOperator<String> swap = l -> l.equals("spam") ? "ham" : "spam";
        for (int at : new int[] {1_500, 3_000, 4_500}) {
            for (Arm arm : Arm.values()) {
                runs.add(runText("spam swap@" + at, spam, at, swap, arm, options));
            }
        }
        for (int at : new int[] {5_000, 10_000, 15_000}) {
            UnaryOperator<String> permutation = permutation(debian, at);
            for (Arm arm : Arm.values()) {
                runs.add(runText("debian perm@" + at, debian, at, permutation, arm, options));
            }
        }
        System.out.println(
                "stream               arm                 delay  false  before  recovered-after"
                        + "  accuracy-after");
        for (TextRun r : runs) {
            long first =
                    r.detections().stream().filter(d -> d >= r.changeAt()).findFirst().orElse(-1L);
            long fa = r.detections().stream().filter(d -> d < r.changeAt()).count();
            System.out.printf(
                    Locale.ROOT,
                    "%-20s %-19s %5s  %5d  %.3f   %6s           %.3f%n",
                    r.stream(),
                    r.arm(),
                    first < 0 ? "-" : String.valueOf(first - r.changeAt()),
                    fa,
                    r.before(),
                    r.recovery() < 0 ? "never" : String.valueOf(r.recovery()),
                    r.afterAccuracy());
        }
        int changes = 0;
        int missed = 0;
        List<Long> delays = new ArrayList<>();
        for (TextRun r : runs) {
            if (r.arm() != Arm.NONE) {
                continue;
            }
            changes++;
            long first =
                    r.detections().stream().filter(d -> d >= r.changeAt()).findFirst().orElse(-1L);
            if (first < 0 || first - r.changeAt() > MARGIN) {
                missed++;
            } else {
                delays.add(first - r.changeAt());
            }
        }
        int seriesMissedBefore = 0;
        long seriesOtherBefore = 0;
        long seriesOther = 0;
        List<Long> delaysBefore = new ArrayList<>();
        for (int seed = 1; seed <= 5; seed++) {
            int shiftStep = 3_000;
            List<SeriesPoint> points = synthetic(seed, 6_000, shiftStep);
            int changeAt = 4 * shiftStep;
            SeriesRun run = runSeries(points, seriesOptions);
            SeriesRun boosted = runSeries(points, seriesOptions.withBoost(10, 500));
            List<Long> d = run.detections();
            System.out.printf(
                    Locale.ROOT,
                    "  loss before / last 100 / next 200 events, per detection: %s%n"
                            + "  the same, window's deviation as the scale (before): %s%n",
                    d.stream().map(run::around).toList(),
                    run.before().stream().map(run::aroundBefore).toList());
            System.out.printf(
                    Locale.ROOT,
                    "  MAE of the 1,000 events after the shift: %.4f recorded only (the"
                            + " default), %.4f with the LSTM's rate x10 for 500; whole stream"
                            + " %.4f / %.4f%n",
                    run.mae(changeAt, changeAt + 1_000),
                    boosted.mae(changeAt, changeAt + 1_000),
                    run.mae(0, points.size()),
                    boosted.mae(0, points.size()));
            long first = hit(d, changeAt);
            long firstBefore = hit(run.before(), changeAt);
            System.out.printf(
                    Locale.ROOT,
                    "%-20s level shift +4 in 4 series at event %d: delay %s, other alarms %d,"
                            + " all %s; before: delay %s, other alarms %d, all %s%n",
                    "generated seed " + seed,
                    changeAt,
                    first < 0 ? "-" : String.valueOf(first - changeAt),
                    d.size() - (first < 0 ? 0 : 1),
                    d,
                    firstBefore < 0 ? "-" : String.valueOf(firstBefore - changeAt),
                    run.before().size() - (firstBefore < 0 ? 0 : 1),
                    run.before());
            changes++;
            if (first < 0) {
                missed++;
            } else {
                delays.add(first - changeAt);
            }
            if (firstBefore < 0) {
                seriesMissedBefore++;
            } else {
                delaysBefore.add(firstBefore - changeAt);
            }
            seriesOther += d.size() - (first < 0 ? 0 : 1);
            seriesOtherBefore += run.before().size() - (firstBefore < 0 ? 0 : 1);
        }
        System.out.printf(
                Locale.ROOT,
                "TOTAL series shifts 5: before missed %d, delays %s, other alarms %d;"
                        + " after missed %d of them, other alarms %d%n",
                seriesMissedBefore,
                delaysBefore,
                seriesOtherBefore,
                missed,
                seriesOther);
        System.out.printf(
                Locale.ROOT,
                "TOTAL changes %d, missed %d (%.0f%%), delays %s%n",
                changes,
                missed,
                100.0 * missed / changes,
                delays);
    }

    private static void printStationary(String name, int events, SeriesRun run) {
        System.out.printf(
                Locale.ROOT,
                "%-22s events %6d  false alarms %d at %s (before: %d at %s)%n",
                name,
                events,
                run.detections().size(),
                run.detections(),
                run.before().size(),
                run.before());
    }

    private static void printTotal(String what, long events, long alarms, String when) {
        System.out.printf(
                Locale.ROOT,
                "TOTAL stationary %s, %s: %d events, %d false alarms, %.2f per 100,000, MTFA %s%n",
                what,
                when,
                events,
                alarms,
                alarms * 1e5 / events,
                alarms == 0 ? "> " + events : String.valueOf(events / alarms));
    }

    /** The first detection within {@link #MARGIN} events of the change, or -1 (missed). */
    private static long hit(List<Long> detections, long changeAt) {
        return detections.stream()
                .filter(x -> x >= changeAt && x - changeAt <= MARGIN)
                .findFirst()
                .orElse(-1L);
    }

    static TextRun runText(
            String stream,
            List<TextEvent> events,
            int changeAt,
            UnaryOperator<String> remap,
            Arm arm,
            DriftWatch.Options options) {
        ModelSpec spec = TextClassifierSpec.defaults();
        TextLearner learner = TextClassifierTraining.INSTANCE.newLearner(spec);
        DriftWatch watch = new DriftWatch(armed(options, arm));
        List<Long> detections = new ArrayList<>();
        boolean[] correct = new boolean[events.size()];
        for (int i = 0; i < events.size(); i++) {
            TextEvent e = events.get(i);
            String label =
                    changeAt >= 0 && i >= changeAt ? remap.apply(e.getLabel()) : e.getLabel();
            TextClassifierModel kernel = learner.model();
            TokenizedText tokens = kernel.tokenizer().tokenize(e.getText());
            TestedText tested = kernel.test(tokens, label);
            correct[i] = label.equals(tested.predicted());
            if (watch.watch(DriftLosses.text(correct[i]), learner) != null) {
                detections.add((long) i);
                if (arm == Arm.FRESH_MODEL) {
                    learner = TextClassifierTraining.INSTANCE.newLearner(spec);
                }
            }
            learner.offer(tokens, label);
        }
        if (changeAt < 0) {
            return new TextRun(stream, arm, changeAt, detections, Double.NaN, -1, Double.NaN);
        }
        double before = mean(correct, Math.max(0, changeAt - 1_000), changeAt);
        long recovery = -1;
        for (int t = changeAt + WINDOW; t <= correct.length; t++) {
            if (mean(correct, t - WINDOW, t) >= 0.9 * before) {
                recovery = t - changeAt;
                break;
            }
        }
        double after = mean(correct, changeAt, correct.length);
        return new TextRun(stream, arm, changeAt, detections, before, recovery, after);
    }

    static DriftWatch.Options armed(DriftWatch.Options options, Arm arm) {
        return switch (arm) {
            case NONE, FRESH_MODEL -> options.withBoost(1, 0);
            case BOOST_HEAD_10X_500 -> options.withBoost(10, 500);
            case BOOST_HEAD_30X_300 -> options.withBoost(30, 300);
            case BOOST_HEAD_10X_1000 -> options.withBoost(10, 1_000);
        };
    }

    /**
     * Detections (event index) and every point's absolute error, over one run of the points; and
     * the detections and losses of a second watch on the loss as it was before (the error in the
     * window's standard deviation, {@link #deviationScaled}), side by side on the same forecasts.
     */
    record SeriesRun(
            List<Long> detections,
            double[] absoluteErrors,
            double[] losses,
            List<Long> before,
            double[] beforeLosses) {
        /** The watched loss over 900 events up to 100 before, the last 100, the next 200. */
        String around(long detection) {
            int d = (int) detection;
            return String.format(
                    Locale.ROOT,
                    "%d: %.3f / %.3f / %.3f",
                    d,
                    mean(losses, d - 1_000, d - 100),
                    mean(losses, d - 100, d),
                    mean(losses, d, d + 200));
        }

        String aroundBefore(long detection) {
            return new SeriesRun(before, absoluteErrors, beforeLosses, before, beforeLosses)
                    .around(detection);
        }

        double mae(int from, int to) {
            return mean(absoluteErrors, from, to);
        }

        private static double mean(double[] xs, int from, int to) {
            double sum = 0;
            int n = 0;
            for (int i = Math.max(0, from); i < Math.min(xs.length, to); i++) {
                if (!Double.isNaN(xs[i])) {
                    sum += xs[i];
                    n++;
                }
            }
            return sum / n;
        }
    }

    static SeriesRun runSeries(List<SeriesPoint> points, DriftWatch.Options options) {
        ModelSpec spec = LstmForecasterSpec.defaults();
        SeriesLearner learner = LstmForecasterTraining.INSTANCE.newLearner(spec);
        Map<String, SeriesTracker> trackers = new HashMap<>();
        DriftWatch watch = new DriftWatch(options);
        // Only records (no boost): it cannot change what the learner does.
        DriftWatch beforeWatch = new DriftWatch(options.withBoost(1, 0));
        List<Long> detections = new ArrayList<>();
        List<Long> before = new ArrayList<>();
        double[] errors = new double[points.size()];
        double[] losses = new double[points.size()];
        double[] beforeLosses = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            SeriesPoint p = points.get(i);
            SeriesTracker tracker =
                    trackers.computeIfAbsent(p.getSeriesId(), id -> new SeriesTracker(spec));
            SeriesObservation o = tracker.observe(p.getValue(), learner.model());
            errors[i] = Double.NaN;
            losses[i] = Double.NaN;
            beforeLosses[i] = Double.NaN;
            if (!o.hasForecast()) {
                continue;
            }
            errors[i] = Math.abs(o.modelError());
            losses[i] = DriftLosses.series(o.modelError(), o.window());
            beforeLosses[i] = deviationScaled(o.modelError(), o.window().scale());
            if (watch.watch(losses[i], learner) != null) {
                detections.add((long) i);
            }
            if (beforeWatch.watch(beforeLosses[i], learner) != null) {
                before.add((long) i);
            }
            learner.offer(o.window(), o.value());
        }
        return new SeriesRun(detections, errors, losses, before, beforeLosses);
    }

    /**
     * The series loss before 2026-12-05: the error in the window's standard deviation (the
     * forecaster's own normalisation), squashed to a/(1+a).
     */
    static double deviationScaled(double error, double scale) {
        double a = Math.abs(error) / scale;
        return Double.isFinite(a) ? a / (1 + a) : Double.NaN;
    }

    private static double mean(boolean[] xs, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += xs[i] ? 1 : 0;
        }
        return (double) n / (to - from);
    }

    /** A seeded derangement of the labels seen before {@code at}. */
    static UnaryOperator<String> permutation(List<TextEvent> events, int at) {
        List<String> labels =
                new ArrayList<>(
                        new LinkedHashSet<>(
                                events.stream().limit(at).map(TextEvent::getLabel).toList()));
        List<String> shuffled = new ArrayList<>(labels);
        Random random = new Random(at);
        // Sattolo's shuffle: one cycle, so no label keeps its place.
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = random.nextInt(i);
            String t = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, t);
        }
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            map.put(labels.get(i), shuffled.get(i));
        }
        return l -> map.getOrDefault(l, l);
    }

    static List<TextEvent> text(String file, List<String> fields) {
        TextFieldMapping mapping = new TextFieldMapping("id", fields, "label", null);
        List<TextEvent> events = new ArrayList<>();
        try (FileRows rows = FileRows.open(Datasets.path(file))) {
            while (rows.hasNext()) {
                events.add(mapping.map(rows.next()).value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    static List<SeriesPoint> series(String file, String seriesField, String valueField) {
        SeriesFieldMapping mapping = new SeriesFieldMapping(seriesField, valueField, null, file);
        List<SeriesPoint> points = new ArrayList<>();
        try (FileRows rows = FileRows.open(Datasets.path(file))) {
            while (rows.hasNext()) {
                Mapped<SeriesPoint> m = mapping.map(rows.next());
                if (!m.isRejected()) {
                    points.add(m.value());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return points;
    }

    /** Four generated series, interleaved point by point, shifted at {@code shiftAt} (or not). */
    static List<SeriesPoint> synthetic(long seed, int perSeries, long shiftAt) {
        List<SyntheticSeries> all = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            all.add(new SyntheticSeries("sensor-" + s, seed * 10 + s, perSeries, shiftAt));
        }
        List<SeriesPoint> points = new ArrayList<>();
        for (int t = 0; t < perSeries; t++) {
            for (SyntheticSeries s : all) {
                points.add(s.next().point());
            }
        }
        return points;
    }
}
