package dev.streamlearn.trainer.evaluation;

import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.training.DriftWatch;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a prequential pass of a classifier counts besides its contenders' records: the wall-clock
 * time from its first example to its last, unlabelled examples (counted, not learned), rows that
 * never became examples, examples the learner refused, and the report's opening and closing
 * entries.
 */
final class PrequentialPass {
    private final Rejections rejectedRows = new Rejections();
    private final Rejections rejectedForTraining = new Rejections();
    private long unlabelled;
    private long startNanos = -1;
    private long endNanos;

    /** Called as each example arrives; the first one starts the clock. */
    void arrived() {
        if (startNanos < 0) {
            startNanos = System.nanoTime();
        }
    }

    /** Called when an example is done with. */
    void done() {
        endNanos = System.nanoTime();
    }

    void unlabelled() {
        unlabelled++;
    }

    /** A row that never became an example (e.g. a file row that could not be read). */
    void rejectRow(String description) {
        rejectedRows.add(description);
    }

    /** A labelled example that could not be tested or learned. */
    void rejectForTraining(String description) {
        rejectedForTraining.add(description);
    }

    /** Seconds from the first example's arrival to the last one's end; 0 before any. */
    double seconds() {
        return startNanos < 0 ? 0 : (endNanos - startNanos) / 1e9;
    }

    /**
     * A report that opens with {@code kind}, {@code examples} (the labelled ones tested), {@code
     * unlabelled}, {@code seconds} and {@code examplesPerSecond} (of all examples).
     */
    Map<String, Object> reportHead(Learner learner, long examples) {
        Map<String, Object> r = new LinkedHashMap<>();
        double seconds = seconds();
        r.put("kind", learner.spec().kind().id());
        r.put("examples", examples);
        r.put("unlabelled", unlabelled);
        r.put("seconds", seconds);
        r.put("examplesPerSecond", seconds > 0 ? (examples + unlabelled) / seconds : 0.0);
        return r;
    }

    /** Closes a report with the rejections, the drift detections and the learner's counts. */
    void reportTail(Map<String, Object> r, DriftWatch drift, Learner learner) {
        r.put("rejected", rejectedRows.toMap());
        r.put("rejectedForTraining", rejectedForTraining.toMap());
        Map<String, Double> detections = new LinkedHashMap<>();
        drift.putMetrics(detections);
        r.put("drift", detections);
        r.put("fits", learner.fits());
        r.put("reverts", learner.reverts());
        r.put("spec", learner.spec().toMap());
    }
}
