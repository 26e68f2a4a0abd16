package dev.streamlearn.ops.metrics;

import dev.streamlearn.ingestion.load.EventSender;
import dev.streamlearn.ingestion.load.RowSink;
import dev.streamlearn.ingestion.normalize.NormalizerApp;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The normalizer's and an ingestion's own counts, whether a Kafka Streams app is running, and a
 * Streams client's own metrics, as Micrometer meters read at scrape time. Names are in
 * ops/METRICS.md.
 */
public final class PipelineMeters {
    private PipelineMeters() {}

    /** {@code streamlearn_normalizer_*}: JSON records turned into Avro or dead-lettered. */
    public static void bindNormalizer(MeterRegistry registry, NormalizerApp normalizer) {
        FunctionCounter.builder(
                        "streamlearn.normalizer.normalized",
                        normalizer,
                        n -> n.counts().normalized.sum())
                .description("JSON records written to the Avro topics")
                .register(registry);
        FunctionCounter.builder(
                        "streamlearn.normalizer.dead.lettered",
                        normalizer,
                        n -> n.counts().deadLettered.sum())
                .description("JSON records sent to dead-letters")
                .register(registry);
        running(registry, "streamlearn.normalizer.running", normalizer::state);
    }

    /** {@code streamlearn_ingest_*{topic}}: rows of a file sent, or sent to dead-letters. */
    public static void bindIngest(MeterRegistry registry, String topic, EventSender<?> sender) {
        FunctionCounter.builder("streamlearn.ingest.sent", sender, EventSender::sent)
                .tag("topic", topic)
                .description("Rows sent to the topic as events")
                .register(registry);
        FunctionCounter.builder("streamlearn.ingest.rejected", sender, EventSender::rejected)
                .tag("topic", topic)
                .description("Rows that did not map, sent to dead-letters")
                .register(registry);
    }

    /** As {@link #bindIngest(MeterRegistry, String, EventSender)} for any row sink. */
    public static void bindIngest(MeterRegistry registry, String topic, RowSink<?> sender) {
        FunctionCounter.builder("streamlearn.ingest.sent", sender, RowSink::sent)
                .tag("topic", topic)
                .description("Rows sent to the topic as events")
                .register(registry);
        FunctionCounter.builder("streamlearn.ingest.rejected", sender, RowSink::rejected)
                .tag("topic", topic)
                .description("Rows that did not map, sent to dead-letters")
                .register(registry);
    }

    /**
     * The Kafka Streams client's own metrics ({@code kafka_stream_*}, and its consumers' and
     * producers' {@code kafka_consumer_*}, {@code kafka_producer_*}: rates, latencies, lag by
     * partition), tagged by client and thread id. The binder looks for new client metrics on a
     * daemon thread of its own, which ends with the process.
     */
    public static void bindClient(MeterRegistry registry, KafkaStreams client) {
        new KafkaStreamsMetrics(client).bindTo(registry);
    }

    /** A gauge: 1 while the Kafka Streams app is RUNNING, 0 otherwise (rebalancing, stopped). */
    public static void running(
            MeterRegistry registry, String name, Supplier<KafkaStreams.State> state) {
        Gauge.builder(name, state, s -> s.get() == KafkaStreams.State.RUNNING ? 1 : 0)
                .description("1 while the Kafka Streams app is RUNNING, else 0")
                .strongReference(true) // often a method reference nobody else holds
                .register(registry);
    }
}
