package dev.streamlearn.schemas;

import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.GateEvent;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.avro.ImageScore;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.SeriesScore;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.schemas.avro.VectorScore;
import dev.streamlearn.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The registry of every topic of the pipeline (README, "The data path", lists them). Keys are UTF-8
 * strings unless stated; values are Avro records in single-object encoding ({@link AvroSerde}),
 * except on the {@code -json} entry topics, which take JSON from any client.
 */
public final class Topics {
    /** Messages of {@link #MODEL_VERSIONS} may be this large: the weights travel inside them. */
    public static final int MODEL_VERSION_MAX_BYTES = 16 * 1024 * 1024;

    private static final int DATA_PARTITIONS = 4;
    private static final String KEEP_A_WEEK = Long.toString(Duration.ofDays(7).toMillis());
    private static final String KEEP_A_MONTH = Long.toString(Duration.ofDays(30).toMillis());

    /**
     * Input topics stamp records with the broker's append time: retention then counts from when a
     * record arrived, not from its event time (kept in the value), so replaying a 2002 mail archive
     * or a 2010 sensor log does not have the broker delete it at once as 16 years old.
     */
    private static final Map<String, String> INPUT_CONFIGS =
            Map.of(
                    TopicConfig.RETENTION_MS_CONFIG,
                    KEEP_A_WEEK,
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
                    "LogAppendTime");

    /** Key: series id. Value: one observation; one series per key, ordered per partition. */
    public static final Topic<String, SeriesPoint> SERIES_POINTS =
            new Topic<>(
                    "series-points",
                    Serdes.String(),
                    AvroSerde.of(SeriesPoint.class),
                    DATA_PARTITIONS,
                    INPUT_CONFIGS,
                    "time-series observations to learn from and score");

    /** Key: event id. Value: a text with an optional label; labelled events train. */
    public static final Topic<String, TextEvent> TEXT_EVENTS =
            new Topic<>(
                    "text-events",
                    Serdes.String(),
                    AvroSerde.of(TextEvent.class),
                    DATA_PARTITIONS,
                    INPUT_CONFIGS,
                    "texts to learn from (when labelled) and to classify");

    /**
     * Key: event id. Value: a numeric feature vector with an optional label; labelled ones train.
     */
    public static final Topic<String, VectorEvent> VECTOR_EVENTS =
            new Topic<>(
                    "vector-events",
                    Serdes.String(),
                    AvroSerde.of(VectorEvent.class),
                    DATA_PARTITIONS,
                    INPUT_CONFIGS,
                    "numeric feature vectors to learn from (when labelled) and to classify");

    /**
     * Key: event id. Value: an image (width, height, channels, row-major channel-last bytes) with
     * an optional label; labelled ones train.
     */
    public static final Topic<String, ImageEvent> IMAGE_EVENTS =
            new Topic<>(
                    "image-events",
                    Serdes.String(),
                    AvroSerde.of(ImageEvent.class),
                    DATA_PARTITIONS,
                    INPUT_CONFIGS,
                    "images to learn from (when labelled) and to classify");

    /**
     * Key: model name. Value: a published set of weights. Kept by time (30 days) and size (2 GiB),
     * never compacted, so the scorer can roll back to any version still retained; messages up to 16
     * MiB.
     */
    public static final Topic<String, ModelVersion> MODEL_VERSIONS =
            new Topic<>(
                    "model-versions",
                    Serdes.String(),
                    AvroSerde.of(ModelVersion.class),
                    1,
                    Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_DELETE,
                            TopicConfig.RETENTION_MS_CONFIG,
                            KEEP_A_MONTH,
                            // A default text version is ~4 MB: at one version per model every
                            // few seconds, time alone would keep tens of GB. The scorer needs
                            // only the last few; size bounds the history (and its replay).
                            TopicConfig.RETENTION_BYTES_CONFIG,
                            Long.toString(2L << 30),
                            TopicConfig.SEGMENT_BYTES_CONFIG,
                            Integer.toString(256 << 20),
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                            Integer.toString(MODEL_VERSION_MAX_BYTES)),
                    "every published model version, with its weights");

    /** Key: model name. Value: pin a version or follow the latest; compacted, latest wins. */
    public static final Topic<String, ModelControl> MODEL_CONTROL =
            new Topic<>(
                    "model-control",
                    Serdes.String(),
                    AvroSerde.of(ModelControl.class),
                    1,
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
                    "which version serves: pin or follow latest");

    /**
     * Key: model name. Value: a decision of the promotion gate (promoted, rejected, superseded,
     * rolled back, drift) with its evidence. Kept by time, not compacted: it is each model's
     * history, and every scorer replays it to know which version serves.
     */
    public static final Topic<String, ModelEvent> MODEL_EVENTS =
            new Topic<>(
                    "model-events",
                    Serdes.String(),
                    AvroSerde.of(ModelEvent.class),
                    1,
                    Map.of(TopicConfig.RETENTION_MS_CONFIG, KEEP_A_MONTH),
                    "promotion gate decisions with their evidence");

    /**
     * Key: model name. Value: a labelled input event, as read, re-keyed by the model it is evidence
     * for, so one scorer task owns each model's promotion gate. Written and read by the scorer
     * only.
     */
    public static final Topic<String, GateEvent> GATE_EVENTS =
            new Topic<>(
                    "gate-events",
                    Serdes.String(),
                    AvroSerde.of(GateEvent.class),
                    DATA_PARTITIONS,
                    Map.of(TopicConfig.RETENTION_MS_CONFIG, KEEP_A_WEEK),
                    "labelled events re-keyed by model for the promotion gate");

    /** Key: series id. Value: forecast, error and anomaly score, naming the model version. */
    public static final Topic<String, SeriesScore> SERIES_SCORES =
            new Topic<>(
                    "series-scores",
                    Serdes.String(),
                    AvroSerde.of(SeriesScore.class),
                    DATA_PARTITIONS,
                    Map.of(TopicConfig.RETENTION_MS_CONFIG, KEEP_A_WEEK),
                    "forecasts and anomaly scores of series points");

    /** Key: event id. Value: class probabilities and explaining tokens, naming the version. */
    public static final Topic<String, TextScore> TEXT_SCORES =
            new Topic<>(
                    "text-scores",
                    Serdes.String(),
                    AvroSerde.of(TextScore.class),
                    DATA_PARTITIONS,
                    Map.of(TopicConfig.RETENTION_MS_CONFIG, KEEP_A_WEEK),
                    "class probabilities and explanations of text events");

    /** Key: event id. Value: class probabilities and feature contributions, naming the version. */
    public static final Topic<String, VectorScore> VECTOR_SCORES =
            new Topic<>(
                    "vector-scores",
                    Serdes.String(),
                    AvroSerde.of(VectorScore.class),
                    DATA_PARTITIONS,
                    Map.of(TopicConfig.RETENTION_MS_CONFIG, KEEP_A_WEEK),
                    "class probabilities and feature contributions of vector events");

    /** Key: event id. Value: class probabilities and a coarse saliency grid, naming the version. */
    public static final Topic<String, ImageScore> IMAGE_SCORES =
            new Topic<>(
                    "image-scores",
                    Serdes.String(),
                    AvroSerde.of(ImageScore.class),
                    DATA_PARTITIONS,
                    Map.of(TopicConfig.RETENTION_MS_CONFIG, KEEP_A_WEEK),
                    "class probabilities and saliency grids of image events");

    /** Key: model name. Value: loss, prequential metrics and throughput at each publish. */
    public static final Topic<String, TrainingMetrics> TRAINING_METRICS =
            new Topic<>(
                    "training-metrics",
                    Serdes.String(),
                    AvroSerde.of(TrainingMetrics.class),
                    1,
                    Map.of(TopicConfig.RETENTION_MS_CONFIG, KEEP_A_MONTH),
                    "training loss and prequential metrics over time");

    /** Key: the original key's bytes. Value: the unusable record, where it came from and why. */
    public static final Topic<byte[], DeadLetter> DEAD_LETTERS =
            new Topic<>(
                    "dead-letters",
                    Serdes.ByteArray(),
                    AvroSerde.of(DeadLetter.class),
                    1,
                    Map.of(
                            TopicConfig.RETENTION_MS_CONFIG,
                            KEEP_A_MONTH,
                            // A refused model version travels here whole, weights and all.
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                            Integer.toString(MODEL_VERSION_MAX_BYTES + 64 * 1024)),
                    "every record that could not be used, with the reason");

    /**
     * Key: series id (optional). Value: UTF-8 JSON {@code {"seriesId", "value", "eventTime"?}}, so
     * any Kafka client in any language can feed the pipeline; {@code streamlearn normalize} turns
     * it into {@link #SERIES_POINTS}.
     */
    public static final Topic<String, String> SERIES_POINTS_JSON =
            new Topic<>(
                    "series-points-json",
                    Serdes.String(),
                    Serdes.String(),
                    DATA_PARTITIONS,
                    INPUT_CONFIGS,
                    "series points as JSON from any client, normalized into series-points");

    /**
     * Key: event id (optional). Value: UTF-8 JSON {@code {"id"?, "text", "label"?, "eventTime"?}};
     * {@code streamlearn normalize} turns it into {@link #TEXT_EVENTS}.
     */
    public static final Topic<String, String> TEXT_EVENTS_JSON =
            new Topic<>(
                    "text-events-json",
                    Serdes.String(),
                    Serdes.String(),
                    DATA_PARTITIONS,
                    INPUT_CONFIGS,
                    "text events as JSON from any client, normalized into text-events");

    /**
     * Key: event id (optional). Value: UTF-8 JSON {@code {"id"?, "features", "label"?,
     * "eventTime"?}}; {@code streamlearn normalize} turns it into {@link #VECTOR_EVENTS}.
     */
    public static final Topic<String, String> VECTOR_EVENTS_JSON =
            new Topic<>(
                    "vector-events-json",
                    Serdes.String(),
                    Serdes.String(),
                    DATA_PARTITIONS,
                    INPUT_CONFIGS,
                    "vector events as JSON from any client, normalized into vector-events");

    /**
     * Key: event id (optional). Value: UTF-8 JSON, either {@code {"id"?, "eventTime"?, "label"?,
     * "width", "height", "channels"?, "pixels"}} or {@code {"id"?, "eventTime"?, "label"?, "png"}}
     * (base64); {@code streamlearn normalize} turns it into {@link #IMAGE_EVENTS}.
     */
    public static final Topic<String, String> IMAGE_EVENTS_JSON =
            new Topic<>(
                    "image-events-json",
                    Serdes.String(),
                    Serdes.String(),
                    DATA_PARTITIONS,
                    INPUT_CONFIGS,
                    "image events as JSON from any client, normalized into image-events");

    private static final List<Topic<?, ?>> ALL =
            List.of(
                    SERIES_POINTS_JSON,
                    TEXT_EVENTS_JSON,
                    VECTOR_EVENTS_JSON,
                    IMAGE_EVENTS_JSON,
                    SERIES_POINTS,
                    TEXT_EVENTS,
                    VECTOR_EVENTS,
                    IMAGE_EVENTS,
                    MODEL_VERSIONS,
                    MODEL_CONTROL,
                    MODEL_EVENTS,
                    GATE_EVENTS,
                    SERIES_SCORES,
                    TEXT_SCORES,
                    VECTOR_SCORES,
                    IMAGE_SCORES,
                    TRAINING_METRICS,
                    DEAD_LETTERS);

    private Topics() {}

    /** Every topic, in data-path order. */
    public static List<Topic<?, ?>> all() {
        return ALL;
    }

    /** The topics whose values are Avro records. */
    public static List<Topic<?, ?>> avro() {
        return ALL.stream().filter(t -> t.valueSerde() instanceof AvroSerde<?>).toList();
    }

    public static Optional<Topic<?, ?>> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The known topic names, comma-separated, for error messages. */
    public static String names() {
        return ALL.stream().map(Topic::name).collect(Collectors.joining(", "));
    }
}
