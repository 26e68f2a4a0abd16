package dev.streamlearn.trainer.parallel;

import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.schemas.avro.SourceOffset;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

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
        FeedVersion newest = null;
        java.util.ArrayDeque<Object[]> inFlight = new java.util.ArrayDeque<>();
        long seen = 0;
        for (TextEvent e : train) {
            seen++;
            while (!inFlight.isEmpty() && (long) inFlight.peek()[0] <= seen) {
                newest = (FeedVersion) inFlight.poll()[1];
            }
            int p = Math.floorMod(e.getId().hashCode(), parallelism);
            DeltaLearner learner = learners.get(p);
            if (newest != null) {
                learner.rebase(newest);
            }
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
                byte[] encoded = learner.takeDelta().encode();
                long start = System.nanoTime();
                combiner.add(Delta.decode(encoded), rule, parallelism);
                combineNanos += System.nanoTime() - start;
                deltas++;
                bytes += encoded.length;
                inFlight.add(
                        new Object[] {seen + feedLag, version(combiner.lastVersion + 1, combiner)});
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

    private static FeedVersion version(long number, Combiner c) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (SourceOffset o : c.sourceOffsets()) {
            offsets.put(new TopicPartition(o.getTopic(), o.getPartition()), o.getOffset());
        }
        return new FeedVersion(number, c.weights(), offsets);
    }
}
