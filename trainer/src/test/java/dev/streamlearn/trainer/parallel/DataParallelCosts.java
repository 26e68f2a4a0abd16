package dev.streamlearn.trainer.parallel;

import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.models.version.HeldWeights;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VerifiedVersion;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.versions.DeltaPolicy;
import dev.streamlearn.trainer.versions.VersionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cost model and the quality figures behind BENCHMARKS.md "Data-parallel learning", without
 * Flink or Kafka ({@link DataParallelSimulation}), for the default text model: prequential and
 * held-out accuracy of one learner against two, summed and averaged, as the learners see versions
 * later and later (in examples of the stream); and what one combine costs: bytes of a delta, time
 * for a learner to take it and for the combiner to decode and add it, bytes and time of the state
 * fed back and, per learner, of applying it; and what a published version costs to build and read.
 * A benchmark harness, not a test. From {@code trainer} (classpath as for {@code
 * DataParallelBench}):
 *
 * <pre>
 * java -cp ... dev.streamlearn.trainer.parallel.DataParallelCosts 5000
 * </pre>
 */
public final class DataParallelCosts {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        List<TextEvent> texts = Datasets.spam(n + 1000);
        List<TextEvent> train = texts.subList(0, n);
        List<TextEvent> heldOut = texts.subList(n, n + 1000);
        ModelDefinition model = ModelDefinition.defaults(TextClassifierFamily.INSTANCE);
        // JIT warm-up
        new DataParallelSimulation(model, 2, 4, Combiner.Rule.SUM, 0)
                .run(train.subList(0, 1000), heldOut);

        System.out.println(
                "| learners | rule | versions seen after (examples) | prequential accuracy |"
                        + " held-out accuracy |");
        System.out.println("|---:|---|---:|---:|---:|");
        DataParallelSimulation.Result one =
                new DataParallelSimulation(model, 1, 4, Combiner.Rule.SUM, 0).run(train, heldOut);
        System.out.printf(
                "| 1 | - | 0 | %.4f | %.4f |%n", one.prequentialAccuracy(), one.heldOutAccuracy());
        DataParallelSimulation.Result costs = null;
        for (int lag : new int[] {0, 100, 200, 500, 1000, 5000}) {
            for (Combiner.Rule rule : Combiner.Rule.values()) {
                DataParallelSimulation.Result r =
                        new DataParallelSimulation(model, 2, 4, rule, lag).run(train, heldOut);
                if (lag == 0 && rule == Combiner.Rule.SUM) {
                    costs = r;
                }
                System.out.printf(
                        "| 2 | %s | %d | %.4f | %.4f |%n",
                        rule.name().toLowerCase(),
                        lag,
                        r.prequentialAccuracy(),
                        r.heldOutAccuracy());
            }
        }

        // Per combine: one delta of 4 mini-batches of 8 from a learner of the default model.
        System.out.println();
        System.out.printf(
                "deltas %d, bytes per delta %,d, decode + add per delta %.3f ms%n",
                costs.deltas(),
                costs.deltaBytes() / costs.deltas(),
                costs.combineNanos() / 1e6 / costs.deltas());
        DeltaLearner learner = new DeltaLearner(model);
        Combiner combiner =
                new Combiner(
                        dev.streamlearn.trainer.TrainingFamilies.newTrainer(model).weights(), 0, 0);
        learner.rebase(combiner.whole(1, 0));
        VersionBuilder builder = new VersionBuilder(null, DeltaPolicy.defaults());
        HeldWeights held = null;
        long offset = 0;
        // One delta per staleness bound: 16 mini-batches of 8.
        int perDelta = 128;
        int rounds = n / perDelta - 1;
        long take = 0;
        long feedBuild = 0;
        long feedApply = 0;
        long feedBytes = 0;
        long[] build = new long[2];
        long[] read = new long[2];
        long[] bytes = new long[2];
        int[] count = new int[2];
        for (int i = 1; i <= rounds; i++) {
            // One learner's delta, combined and fed back.
            for (TextEvent e : train.subList((i - 1) * perDelta, i * perDelta)) {
                learner.offer(
                        dev.streamlearn.trainer.training.TrainingInput.labelledText(
                                model.name(),
                                new dev.streamlearn.schemas.record.RecordOrigin(
                                        "t", 0, offset++, -1, null, null),
                                e.getId(),
                                0,
                                e.getText(),
                                e.getLabel()),
                        0);
            }
            long t0 = System.nanoTime();
            Delta delta = learner.takeDelta();
            long t1 = System.nanoTime();
            combiner.add(delta, Combiner.Rule.SUM, 1);
            long t2 = System.nanoTime();
            byte[] state = combiner.rows(1, i, delta.rows()).encode();
            long t3 = System.nanoTime();
            if (!learner.rebase(FeedVersion.decode(state))) {
                throw new IllegalStateException("state " + i + " did not apply");
            }
            long t4 = System.nanoTime();
            take += t1 - t0;
            feedBuild += t3 - t2;
            feedApply += t4 - t3;
            feedBytes += state.length;

            // A published version, for the cost of one at the publish interval.
            long v0 = System.nanoTime();
            ModelVersion v =
                    builder.next(
                            combiner.weights(),
                            new Provenance(
                                    model.name(),
                                    i,
                                    i - 1,
                                    combiner.examples,
                                    Map.of(),
                                    combiner.sourceOffsets(),
                                    Instant.now()));
            long v1 = System.nanoTime();
            VerifiedVersion verified =
                    VersionContract.verify(
                            v, VersionTrust.unsignedOnly(), Optional.ofNullable(held));
            held = HeldWeights.of(verified);
            long v2 = System.nanoTime();
            int kind = v.getDeltaOf() == null ? 0 : 1;
            build[kind] += v1 - v0;
            read[kind] += v2 - v1;
            bytes[kind] += v.getWeights().remaining();
            count[kind]++;
        }
        // What part of applying a state is the copy of the model out of and back into the trainer.
        long copy = 0;
        for (int i = 0; i < rounds; i++) {
            long c0 = System.nanoTime();
            dev.streamlearn.models.kernel.ModelWeights w = learner.trainer().weights();
            learner.trainer().startFrom(w);
            copy += System.nanoTime() - c0;
        }
        System.out.printf(
                "the model out of the trainer and back (weights(), startFrom): %.2f ms%n",
                copy / 1e6 / rounds);
        System.out.printf(
                "per delta of %d examples: learner takes it %.2f ms; fed-back state %,d bytes, built and encoded"
                        + " %.2f ms, decoded and applied per learner %.2f ms%n",
                perDelta,
                take / 1e6 / rounds,
                feedBytes / rounds,
                feedBuild / 1e6 / rounds,
                feedApply / 1e6 / rounds);
        for (int kind = 0; kind < 2; kind++) {
            if (count[kind] == 0) {
                continue;
            }
            System.out.printf(
                    "%s versions: %d, %,d weight bytes each, build %.1f ms, read (decode,"
                            + " rebuild, verify) %.1f ms%n",
                    kind == 0 ? "full" : "light",
                    count[kind],
                    bytes[kind] / count[kind],
                    build[kind] / 1e6 / count[kind],
                    read[kind] / 1e6 / count[kind]);
        }
    }
}
