package dev.streamlearn.trainer.parallel;

import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingInput;
import java.util.ArrayList;
import java.util.List;

/**
 * Data-parallel learning without Flink or Kafka, deterministically: P learners take the texts of
 * their own partitions (by id hash) in stream order, each sends after every {@code sendEvery}
 * fitted mini-batches, the combiner adds each delta at once, and every learner sees the newest
 * version after {@code feedLag} further examples of its own. What the benchmark and the quality
 * tests compare, P = 1 against P = 2.
 */
final class DataParallelSimulation {
    /** What a run learned. */
    record Result(
            double prequentialAccuracy,
            double heldOutAccuracy,
            long examples,
            long deltas,
            long deltaBytes,
            long combineNanos,
            long versions) {}

    private final ModelDefinition model;
    private final int parallelism;
    private final int sendEvery;
    private final Combiner.Rule rule;
    private final int feedLag;

    /**
     * @param feedLag examples (of all learners) between a version's publication and the learners
     *     seeing it
     */
    DataParallelSimulation(
            ModelDefinition model,
            int parallelism,
            int sendEvery,
            Combiner.Rule rule,
            int feedLag) {
        this.model = model;
        this.parallelism = parallelism;
        this.sendEvery = sendEvery;
        this.rule = rule;
        this.feedLag = feedLag;
    }

    Result run(List<TextEvent> train, List<TextEvent> heldOut) {
        List<DeltaLearner> learners = new ArrayList<>();
        for (int i = 0; i < parallelism; i++) {
            learners.add(new DeltaLearner(model));
        }
        Combiner combiner =
                new Combiner(
                        dev.streamlearn.trainer.TrainingFamilies.newTrainer(model).weights(), 0, 0);
        long[] offsets = new long[parallelism];
        long deltas = 0;
        long bytes = 0;
        long combineNanos = 0;
        // Every learner starts from G whole, then takes each light state once it is visible.
        List<FeedVersion> states = new ArrayList<>();
        List<Long> visibleAt = new ArrayList<>();
        states.add(combiner.whole(1, 0));
        visibleAt.add(0L);
        int[] taken = new int[parallelism];
        long seen = 0;
        for (TextEvent e : train) {
            seen++;
            int p = Math.floorMod(e.getId().hashCode(), parallelism);
            DeltaLearner learner = learners.get(p);
            java.util.ArrayDeque<FeedVersion> visible = new java.util.ArrayDeque<>();
            while (taken[p] < states.size() && visibleAt.get(taken[p]) <= seen) {
                visible.add(states.get(taken[p]++));
            }
            learner.rebase(visible);
            learner.offer(
                    TrainingInput.labelledText(
                            model.name(),
                            new RecordOrigin("texts", p, offsets[p]++, -1, null, null),
                            e.getId(),
                            0,
                            e.getText(),
                            e.getLabel()),
                    0);
            if (learner.fitsSinceSend() >= sendEvery) {
                byte[] encoded = learner.takeDelta(false, !learner.inStep()).encode();
                long start = System.nanoTime();
                Delta added = Delta.decode(encoded);
                combiner.add(added, rule, parallelism);
                combineNanos += System.nanoTime() - start;
                deltas++;
                bytes += encoded.length;
                long sequence = states.get(states.size() - 1).sequence() + 1;
                states.add(combiner.rows(1, sequence, added.rows()));
                visibleAt.add(seen + feedLag);
                if (added.wantsFull()) {
                    // As the combiner does for a learner out of step (a new label order).
                    states.add(combiner.whole(1, sequence));
                    visibleAt.add(seen + feedLag);
                }
                combiner.lastVersion++;
            }
        }
        for (DeltaLearner learner : learners) {
            learner.trainer().flush();
            combiner.add(learner.takeDelta(), rule, parallelism);
        }
        TextClassifierModel classifier = new TextClassifierModel(combiner.weights());
        long right =
                heldOut.stream()
                        .filter(e -> e.getLabel().equals(classifier.predict(e.getText()).label()))
                        .count();
        return new Result(
                combiner.metrics().getOrDefault("accuracy", Double.NaN),
                right / (double) heldOut.size(),
                combiner.examples,
                deltas,
                bytes,
                combineNanos,
                combiner.lastVersion);
    }
}
