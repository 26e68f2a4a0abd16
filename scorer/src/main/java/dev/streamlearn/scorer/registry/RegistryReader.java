package dev.streamlearn.scorer.registry;

import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.models.version.InvalidVersionException;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.kafka.BackwardReader;
import dev.streamlearn.schemas.kafka.CommittedReader;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the registry every scorer holds straight from {@code model-versions}, {@code model-control}
 * and {@code model-events}, for tools that run without a scorer ({@code streamlearn models}, the
 * dashboard's pin checks), trusting the keys the scorers trust.
 *
 * <p>Versions are read from the end of the topic backwards, and a model's records are decoded and
 * verified only until its newest K accepted versions are found, so reading costs what the answer
 * needs however long the topic is. A version counts as accepted when it verifies and no earlier
 * valid version read so far has a number as high (the scorer's "versions only go up", applied from
 * the other end); a version published after a higher one is known to be stale when that higher one
 * lies within what was read, which always holds for the trainer's own versions. Asked for one
 * model, the reader stops as soon as it has that model's K; asked for all, it goes on to the
 * topic's start to find every model, but decodes nothing of a model it already has K of.
 *
 * <p>A delta version is verified only on the full weights of the version it changes, so a model's
 * reading goes back to a full version at or before the oldest of its K (at most the trainer's
 * {@code fullEveryVersions} further), and its deltas are then rebuilt oldest first, as the scorer
 * does. Deltas whose chain back to a full version lies beyond the topic's retention are refused by
 * the scorer too, and are left out here.
 */
public final class RegistryReader {
    /** Offsets per backward step: a few versions, since transaction markers take offsets too. */
    private static final int STEP = 16;

    private RegistryReader() {}

    /**
     * Every model's newest {@code versionsKept} versions that {@code trust} accepts, and its pin.
     */
    public static RegistryState readAll(
            String bootstrap, int versionsKept, VersionTrust trust, Duration timeout) {
        return readAll(KafkaConnection.plaintext(bootstrap), versionsKept, trust, timeout);
    }

    /** As {@link #readAll(String, int, VersionTrust, Duration)} through {@code kafka}. */
    public static RegistryState readAll(
            KafkaConnection kafka, int versionsKept, VersionTrust trust, Duration timeout) {
        return read(kafka, RegistryState.empty(versionsKept, trust), Optional.empty(), timeout);
    }

    /**
     * One model's newest {@code versionsKept} versions that {@code trust} accepts, and its pin;
     * other models are absent.
     */
    public static RegistryState readModel(
            String bootstrap,
            String model,
            int versionsKept,
            VersionTrust trust,
            Duration timeout) {
        return readModel(KafkaConnection.plaintext(bootstrap), model, versionsKept, trust, timeout);
    }

    /** As {@link #readModel(String, String, int, VersionTrust, Duration)} through {@code kafka}. */
    public static RegistryState readModel(
            KafkaConnection kafka,
            String model,
            int versionsKept,
            VersionTrust trust,
            Duration timeout) {
        return read(kafka, RegistryState.empty(versionsKept, trust), Optional.of(model), timeout);
    }

    private static RegistryState read(
            KafkaConnection kafka, RegistryState empty, Optional<String> only, Duration timeout) {
        Map<String, Read> newest = new TreeMap<>();
        Set<String> complete = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                CommittedReader.consumer(kafka, "streamlearn-registry-reader", timeout)) {
            BackwardReader.read(
                    consumer,
                    Topics.MODEL_VERSIONS.name(),
                    STEP,
                    timeout,
                    chunk -> {
                        for (int i = chunk.size() - 1; i >= 0; i--) {
                            consider(chunk.get(i), only, empty, newest, complete);
                        }
                        return only.isEmpty() || !complete.contains(only.get());
                    });
            RegistryState state = empty;
            for (Read read : newest.values()) {
                for (ModelVersion version : read.versions) {
                    state = admit(state, version);
                }
            }
            return withControls(consumer, state, only, timeout);
        }
    }

    /**
     * One model's versions read so far: all of them, oldest first, to be offered to the registry in
     * that order as the scorer does (so that each delta is rebuilt on the full weights of the
     * version it changes), and the numbers of those that may be among the accepted.
     */
    private static final class Read {
        final Deque<ModelVersion> versions = new ArrayDeque<>();
        final Deque<Long> candidates = new ArrayDeque<>();
    }

    private static RegistryState admit(RegistryState state, ModelVersion version) {
        RegistryState.Admission admission = state.admit(version);
        if (admission instanceof RegistryState.Admitted admitted) {
            return admitted.state();
        }
        RegistryState.Refused refused = (RegistryState.Refused) admission;
        return refused.followed() != null ? refused.followed() : state;
    }

    /**
     * Folds one record, read newest first, into each model's newest versions: a model is complete
     * once it has K and the oldest of them is full, so that every delta among them can be rebuilt.
     */
    private static void consider(
            ConsumerRecord<byte[], byte[]> record,
            Optional<String> only,
            RegistryState empty,
            Map<String, Read> newest,
            Set<String> complete) {
        if (record.value() == null) {
            return;
        }
        // The key is the model name: records of a model already complete are skipped undecoded.
        if (record.key() != null
                && !wanted(new String(record.key(), StandardCharsets.UTF_8), only, complete)) {
            return;
        }
        ModelVersion version;
        try {
            ModelVersion decoded =
                    Topics.MODEL_VERSIONS
                            .valueSerde()
                            .deserializer()
                            .deserialize(record.topic(), record.value());
            if (decoded == null || !wanted(decoded.getModel(), only, complete)) {
                return;
            }
            if (decoded.getDeltaOf() == null) {
                VersionContract.verify(decoded, empty.trust());
            }
            version = decoded;
        } catch (RuntimeException | InvalidVersionException refusedByTheScorerToo) {
            return;
        }
        Read read = newest.computeIfAbsent(version.getModel(), m -> new Read());
        read.versions.addFirst(version);
        // This version precedes every later candidate: those not above it were never accepted.
        Deque<Long> later = read.candidates;
        while (!later.isEmpty() && later.peekFirst() <= version.getVersion()) {
            later.removeFirst();
        }
        later.addFirst(version.getVersion());
        if (later.size() >= empty.versionsKept() && version.getDeltaOf() == null) {
            complete.add(version.getModel());
        }
    }

    private static boolean wanted(String model, Optional<String> only, Set<String> complete) {
        return only.map(model::equals).orElse(true) && !complete.contains(model);
    }

    /**
     * Applies {@code model-control} (compacted, so short) and then {@code model-events} (the gate's
     * decisions, kept by time) from their starts.
     */
    private static RegistryState withControls(
            KafkaConsumer<byte[], byte[]> consumer,
            RegistryState state,
            Optional<String> only,
            Duration timeout) {
        RegistryState controlled =
                fold(
                        consumer,
                        Topics.MODEL_CONTROL,
                        state,
                        timeout,
                        (s, control) ->
                                only.map(control.getModel()::equals).orElse(true)
                                        ? s.control(control)
                                        : s);
        return fold(
                consumer,
                Topics.MODEL_EVENTS,
                controlled,
                timeout,
                (s, event) ->
                        only.map(event.getModel()::equals).orElse(true) ? s.decide(event) : s);
    }

    private static <V> RegistryState fold(
            KafkaConsumer<byte[], byte[]> consumer,
            Topic<String, V> from,
            RegistryState state,
            Duration timeout,
            BiFunction<RegistryState, V, RegistryState> apply) {
        String topic = from.name();
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic, timeout).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "could not read " + topic + " to its end within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                try {
                    V value = from.valueSerde().deserializer().deserialize(topic, record.value());
                    if (value != null) {
                        state = apply.apply(state, value);
                    }
                } catch (RuntimeException refusedByTheScorerToo) {
                    // unreadable, or a pin below 1: every scorer refuses it the same way
                }
            }
        }
        return state;
    }
}
