package dev.streamlearn.scorer.registry;

import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.models.version.InvalidVersionException;
import dev.streamlearn.models.version.VerifiedVersion;
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
        Map<String, Deque<VerifiedVersion>> newest = new TreeMap<>();
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
            for (Deque<VerifiedVersion> versions : newest.values()) {
                for (VerifiedVersion version : versions) {
                    state = state.accept(version).state();
                }
            }
            return withControls(consumer, state, only, timeout);
        }
    }

    /** Folds one record, read newest first, into each model's newest accepted versions. */
    private static void consider(
            ConsumerRecord<byte[], byte[]> record,
            Optional<String> only,
            RegistryState empty,
            Map<String, Deque<VerifiedVersion>> newest,
            Set<String> complete) {
        if (record.value() == null) {
            return;
        }
        // The key is the model name: records of a model already complete are skipped undecoded.
        if (record.key() != null
                && !wanted(new String(record.key(), StandardCharsets.UTF_8), only, complete)) {
            return;
        }
        VerifiedVersion version;
        try {
            ModelVersion decoded =
                    Topics.MODEL_VERSIONS
                            .valueSerde()
                            .deserializer()
                            .deserialize(record.topic(), record.value());
            if (decoded == null || !wanted(decoded.getModel(), only, complete)) {
                return;
            }
            version = VersionContract.verify(decoded, empty.trust());
        } catch (RuntimeException | InvalidVersionException refusedByTheScorerToo) {
            return;
        }
        Deque<VerifiedVersion> later =
                newest.computeIfAbsent(version.model(), m -> new ArrayDeque<>());
        // This version precedes every one in `later`: those not above it were never accepted.
        while (!later.isEmpty() && later.peekFirst().version() <= version.version()) {
            later.removeFirst();
        }
        later.addFirst(version);
        if (later.size() >= empty.versionsKept()) {
            complete.add(version.model());
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
