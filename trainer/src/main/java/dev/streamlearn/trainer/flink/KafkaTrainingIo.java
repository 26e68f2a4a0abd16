package dev.streamlearn.trainer.flink;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.family.TrainingInputs;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The production wiring: reads {@code series-points} and {@code text-events} from the earliest
 * offset (the job's state, not a consumer group, says how far it got) and writes the outputs with
 * exactly-once transactions committed at each checkpoint. Topic names are parameters so tests can
 * use their own.
 *
 * @param kafka Kafka bootstrap servers and connection settings (TLS, SASL), given to every source
 *     and sink
 * @param name prefix of the consumer group, client ids and transactional ids; two jobs running at
 *     once on one cluster need different names, or their transactions fence each other
 * @param seriesTopic where {@code series-points} is read from
 * @param textTopic where {@code text-events} is read from
 * @param versionsTopic output of versions
 * @param metricsTopic output of training metrics
 * @param deadLettersTopic output of refused records; detected drifts go to the registry's {@code
 *     model-events} ({@link #modelEvents()})
 */
public record KafkaTrainingIo(
        KafkaConnection kafka,
        String name,
        String seriesTopic,
        String textTopic,
        String versionsTopic,
        String metricsTopic,
        String deadLettersTopic)
        implements TrainingInputs, TrainingSinks {

    /** Kafka's maximum (the broker's {@code transaction.max.timeout.ms} default is 15 min). */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    /** On a PLAINTEXT cluster. */
    public KafkaTrainingIo(
            String bootstrap,
            String name,
            String seriesTopic,
            String textTopic,
            String versionsTopic,
            String metricsTopic,
            String deadLettersTopic) {
        this(
                KafkaConnection.plaintext(bootstrap),
                name,
                seriesTopic,
                textTopic,
                versionsTopic,
                metricsTopic,
                deadLettersTopic);
    }

    /** The registry's topics. */
    public static KafkaTrainingIo of(KafkaConnection kafka, String name) {
        return new KafkaTrainingIo(
                kafka,
                name,
                Topics.SERIES_POINTS.name(),
                Topics.TEXT_EVENTS.name(),
                Topics.MODEL_VERSIONS.name(),
                Topics.TRAINING_METRICS.name(),
                Topics.DEAD_LETTERS.name());
    }

    public String bootstrap() {
        return kafka.bootstrap();
    }

    /**
     * The records of {@code topic}; the families' own topics ({@code series-points}, {@code
     * text-events}) are read from {@code seriesTopic} and {@code textTopic}. Each source's uid is
     * the topic it stands for, so a job's saved offsets restore whatever those are called.
     */
    @Override
    public DataStream<RecordOrigin> records(StreamExecutionEnvironment env, String topic) {
        String actual =
                topic.equals(Topics.SERIES_POINTS.name())
                        ? seriesTopic
                        : topic.equals(Topics.TEXT_EVENTS.name()) ? textTopic : topic;
        return read(env, actual, topic + "-source");
    }

    private DataStream<RecordOrigin> read(
            StreamExecutionEnvironment env, String topic, String uid) {
        KafkaSource<RecordOrigin> source =
                KafkaSource.<RecordOrigin>builder()
                        .setProperties(kafka.clientProperties())
                        .setTopics(topic)
                        .setGroupId(name)
                        .setClientIdPrefix(name + "-" + topic)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new RecordOriginDeserializer())
                        // Producers such as ingest may write in transactions: skip aborted data.
                        .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                        .setProperty("partition.discovery.interval.ms", "60000")
                        .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), topic).uid(uid).name(topic);
    }

    @Override
    public Sink<ModelVersion> modelVersions() {
        return sink(new AvroRecordSerialization.Versions(versionsTopic), "versions", true);
    }

    @Override
    public Sink<TrainingMetrics> trainingMetrics() {
        return sink(new AvroRecordSerialization.Metrics(metricsTopic), "metrics", false);
    }

    @Override
    public Sink<DeadLetter> deadLetters() {
        // A dead letter carries the refused record, which may itself be large.
        return sink(
                new AvroRecordSerialization.DeadLetters(deadLettersTopic), "dead-letters", true);
    }

    /**
     * Always the registry's {@code model-events}, where the scorers read the gate's decisions (a
     * job with renamed topics shares it); written to only when a learner detects a drift.
     */
    @Override
    public Sink<ModelEvent> modelEvents() {
        return sink(
                new AvroRecordSerialization.Events(Topics.MODEL_EVENTS.name()),
                "model-events",
                false);
    }

    private <T> KafkaSink<T> sink(
            KafkaRecordSerializationSchema<T> serialization, String output, boolean large) {
        var builder =
                KafkaSink.<T>builder()
                        .setKafkaProducerConfig(kafka.clientProperties())
                        .setRecordSerializer(serialization)
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(name + "-" + output)
                        .setProperty(
                                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                                Long.toString(TRANSACTION_TIMEOUT.toMillis()));
        if (large) {
            // A version carries its weights: up to the topic's 16 MiB.
            builder.setProperty(
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                    Integer.toString(Topics.MODEL_VERSION_MAX_BYTES));
        }
        return builder.build();
    }
}
