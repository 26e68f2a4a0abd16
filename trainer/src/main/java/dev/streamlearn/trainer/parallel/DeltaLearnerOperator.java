package dev.streamlearn.trainer.parallel;

import dev.streamlearn.schemas.record.DeadLetters;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.InstantiationUtil;

/**
 * One learner of a data-parallel model per subtask ({@link DeltaLearner}), fed the records of the
 * input partitions keyed to this subtask. It sends a delta (as the model name and the delta's
 * bytes, to the model's {@link CombinerOperator}) after every {@code sendEveryFits} fitted
 * mini-batches, or {@code sendInterval} after the first unsent fit, and rebases onto each combined
 * state its {@link VersionFeed} brings, in order.
 *
 * <p>The learner is saved under a key of its own ({@link #STATE}), so a savepoint restores at any
 * parallelism: Flink hands the key groups, and so the saved learners, out among the new subtasks; a
 * subtask given none starts one afresh (from the model's published weights, taking the combined
 * weights whole at its first delta), a subtask given several merges them ({@link
 * DeltaLearner#merge}), so its next delta carries all their unsent progress.
 */
final class DeltaLearnerOperator extends AbstractStreamOperator<Tuple2<String, byte[]>>
        implements OneInputStreamOperator<TrainingInput, Tuple2<String, byte[]>> {
    /**
     * Each learner ({@link DeltaLearnerStateSerializer}), as keyed state under a key of its own
     * (negative, so no source partition's): key groups move with a rescale as operator state does,
     * and a subtask merges whatever learners its key groups bring. Not operator state: Flink writes
     * operator state byte by byte (its {@code CompressibleFSDataOutputStream} has no bulk write),
     * which for a text learner's tens of megabytes at every checkpoint cost more CPU than the
     * learning.
     */
    static final String STATE = "delta-learner";

    /**
     * Where checkpoints of the first data-parallel release hold the learners, Java-serialized in
     * operator state: read once after such a restore, then cleared.
     */
    static final String JAVA_SERIALIZED_STATE = "delta-learners";

    /** The longest a learner waits at its staleness bound for a version. */
    static final Duration MAX_WAIT = Duration.ofSeconds(2);

    private final ModelDefinition model;
    private final long sendEveryFits;
    private final Duration sendInterval;
    private final VersionFeed.Factory feeds;
    private final int staleMiniBatches;
    private transient ListState<byte[]> javaSerialized;
    private transient ValueState<DeltaLearnerState> saved;

    /** The key this subtask's learner is saved under. */
    private transient int learnerKey;

    private transient DeltaLearner learner;
    private transient VersionFeed feed;

    /** States taken from the feed and not yet applied (one may wait for an empty mini-batch). */
    private transient Deque<FeedVersion> states;

    private transient long sendTimer;

    DeltaLearnerOperator(
            ModelDefinition model,
            TrainingOptions options,
            int parallelism,
            int staleMiniBatches,
            VersionFeed.Factory feeds) {
        this.model = model;
        this.staleMiniBatches = staleMiniBatches;
        long every = model.publish().everyMiniBatchesOr(options.publishEveryMiniBatches());
        this.sendEveryFits = Math.max(1, every / parallelism);
        // Half the publish interval: a version then includes sends at most half an interval old.
        this.sendInterval = model.publish().intervalOr(options.publishInterval()).dividedBy(2);
        this.feeds = feeds;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        javaSerialized =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        JAVA_SERIALIZED_STATE,
                                        BytePrimitiveArraySerializer.INSTANCE));
        List<DeltaLearner> restored = new ArrayList<>();
        for (byte[] bytes : javaSerialized.get()) {
            restored.add(new DeltaLearner(model, decode(bytes, getUserCodeClassloader())));
        }
        javaSerialized.clear();
        saved =
                getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(STATE, DeltaLearnerStateSerializer.INSTANCE));
        List<Object> keys;
        try (var stream = getKeyedStateBackend().getKeys(STATE, VoidNamespace.INSTANCE)) {
            keys = stream.toList();
        }
        for (Object key : keys) {
            setCurrentKey(key);
            DeltaLearnerState s = saved.value();
            if (s != null) {
                restored.add(new DeltaLearner(model, s));
            }
            saved.clear();
        }
        learnerKey =
                learnerKey(
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(),
                        getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks());
        if (restored.isEmpty()) {
            learner = new DeltaLearner(model);
        } else {
            learner = restored.get(0);
            for (DeltaLearner other : restored.subList(1, restored.size())) {
                learner.merge(other);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        feed =
                feeds.open(
                        model.name(),
                        model.name()
                                + "-learner-"
                                + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        states = new ArrayDeque<>();
        sendTimer = Long.MIN_VALUE;
        if (learner.hasUnsent()) {
            // Restored with progress not sent (or merged from several learners): send it even if
            // no record comes.
            sendTimer =
                    getProcessingTimeService().getCurrentProcessingTime() + sendInterval.toMillis();
        }
        scheduleCheck();
    }

    @Override
    public void processElement(StreamRecord<TrainingInput> record) throws InterruptedException {
        rebase();
        TrainingInput in = record.getValue();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        Offer offer = learner.offer(in, now);
        if (offer.status() == Offer.Status.REJECTED) {
            output.collect(
                    JobStreams.DEAD_LETTERS,
                    new StreamRecord<>(
                            DeadLetters.of(
                                    in.origin(),
                                    JobStreams.STAGE,
                                    "model "
                                            + model.name()
                                            + " refused it: "
                                            + offer.rejection().reason(),
                                    Instant.ofEpochMilli(now))));
        }
        if (offer.status() == Offer.Status.TRAINED
                && learner.staleExamples()
                        >= staleMiniBatches * (long) learner.trainer().specBatchSize()) {
            sendAndWait();
        } else if (learner.fitsSinceSend() >= sendEveryFits) {
            send(false);
        } else if (learner.hasUnsent() && sendTimer == Long.MIN_VALUE) {
            sendTimer = now + sendInterval.toMillis();
        }
    }

    /**
     * A periodic check, also while no record arrives: sends what is due and rebases onto a newer
     * version.
     */
    private void scheduleCheck() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService()
                .registerTimer(
                        now + Math.max(50, sendInterval.toMillis() / 4),
                        time -> {
                            rebase();
                            // Timers may fire late: what is due goes by the clock.
                            long at = getProcessingTimeService().getCurrentProcessingTime();
                            if (sendTimer != Long.MIN_VALUE && at >= sendTimer) {
                                send(false);
                            }
                            scheduleCheck();
                        });
    }

    private void rebase() {
        if (feed == null) {
            return;
        }
        states.addAll(feed.take());
        if (!states.isEmpty()) {
            learner.rebase(states);
        }
    }

    private void send(boolean urgent) {
        sendTimer = Long.MIN_VALUE;
        if (!learner.hasUnsent()) {
            return;
        }
        output.collect(
                new StreamRecord<>(
                        Tuple2.of(
                                model.name(),
                                learner.takeDelta(urgent, !learner.inStep()).encode())));
    }

    /**
     * The staleness bound: this learner has learned {@code staleMiniBatches} ({@link
     * DataParallel#STALE_MINI_BATCHES}) mini-batches that no combined state it holds includes, so
     * it sends them and waits until a state includes enough of them (at most {@link #MAX_WAIT}, so
     * a feed that stopped slows learning down but does not stop it). Without the bound a learner
     * catching up on a backlog learns thousands of examples between states, and learners that drift
     * apart that far sum into a model worse than either (BENCHMARKS.md "Data-parallel learning").
     */
    private void sendAndWait() throws InterruptedException {
        send(true);
        long bound = staleMiniBatches * (long) learner.trainer().specBatchSize();
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        while (learner.staleExamples() >= bound) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            feed.await(Duration.ofNanos(left));
            rebase();
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        setCurrentKey(learnerKey);
        saved.update(learner.state());
        super.snapshotState(context);
    }

    @Override
    public void close() throws Exception {
        if (feed != null) {
            feed.close();
            feed = null;
        }
        super.close();
    }

    /** The first negative key that Flink's key groups send to {@code subtask}. */
    static int learnerKey(int subtask, int parallelism, int maxParallelism) {
        for (int key = -1; ; key--) {
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            key, maxParallelism, parallelism)
                    == subtask) {
                return key;
            }
        }
    }

    static byte[] encode(Serializable state) {
        try {
            return InstantiationUtil.serializeObject(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T decode(byte[] bytes, ClassLoader loader) {
        try {
            return InstantiationUtil.deserializeObject(bytes, loader);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read saved data-parallel state", e);
        }
    }
}
