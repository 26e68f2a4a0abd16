package dev.streamlearn.scorer.registry;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes pin, follow and gate decisions to {@code model-control}, where every scorer reads them.
 */
public final class ModelControls {
    private ModelControls() {}

    public static void pin(String bootstrap, String model, long version, String reason) {
        pin(KafkaConnection.plaintext(bootstrap), model, version, reason);
    }

    public static void pin(KafkaConnection kafka, String model, long version, String reason) {
        send(kafka, new ModelControl(model, ControlMode.PIN, version, reason, Instant.now()));
    }

    public static void follow(String bootstrap, String model, String reason) {
        follow(KafkaConnection.plaintext(bootstrap), model, reason);
    }

    public static void follow(KafkaConnection kafka, String model, String reason) {
        send(
                kafka,
                new ModelControl(model, ControlMode.FOLLOW_LATEST, null, reason, Instant.now()));
    }

    /** Serve what the promotion gate promotes again (the policy of a model without a record). */
    public static void gate(KafkaConnection kafka, String model, String reason) {
        send(kafka, new ModelControl(model, ControlMode.GATED, null, reason, Instant.now()));
    }

    private static void send(KafkaConnection kafka, ModelControl control) {
        try (KafkaProducer<String, ModelControl> producer =
                new KafkaProducer<>(
                        kafka.clientConfig(
                                Map.of(
                                        ProducerConfig.ACKS_CONFIG,
                                        "all",
                                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                        10_000)),
                        Topics.MODEL_CONTROL.keySerde().serializer(),
                        Topics.MODEL_CONTROL.valueSerde().serializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    Topics.MODEL_CONTROL.name(), control.getModel(), control))
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "could not write to " + Topics.MODEL_CONTROL.name() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing model-control", e);
        }
    }
}
