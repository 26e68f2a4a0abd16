package dev.streamlearn.ingestion.normalize;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.schemas.record.DeadLetters;
import dev.streamlearn.schemas.record.RecordOrigin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The normalizer: JSON from any client on {@code series-points-json}, {@code text-events-json},
 * {@code vector-events-json} and {@code image-events-json} becomes Avro on {@code series-points},
 * {@code text-events}, {@code vector-events} and {@code image-events}; anything else goes to {@code
 * dead-letters} with the reason and its original bytes. Stateless, so it scales by partitions.
 */
public final class NormalizerTopology {
    static final String SERIES_SINK = "series-points-sink";
    static final String TEXT_SINK = "text-events-sink";
    static final String VECTOR_SINK = "vector-events-sink";
    static final String IMAGE_SINK = "image-events-sink";

    /** Which JSON shape a normalizer reads. */
    private enum Shape {
        SERIES,
        TEXT,
        VECTOR,
        IMAGE
    }

    static final String DEAD_LETTER_SINK = "dead-letters-sink";

    private NormalizerTopology() {}

    /** Records normalized and refused since start, for status lines and metrics. */
    public static final class Counts {
        public final LongAdder normalized = new LongAdder();
        public final LongAdder deadLettered = new LongAdder();
    }

    public static Topology build(Counts counts) {
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        Topology topology = new Topology();
        topology.addSource("series-json-source", bytes, bytes, Topics.SERIES_POINTS_JSON.name());
        topology.addSource("text-json-source", bytes, bytes, Topics.TEXT_EVENTS_JSON.name());
        topology.addSource("vector-json-source", bytes, bytes, Topics.VECTOR_EVENTS_JSON.name());
        topology.addSource("image-json-source", bytes, bytes, Topics.IMAGE_EVENTS_JSON.name());
        topology.addProcessor(
                "series-normalizer",
                () -> new Normalize(counts, Shape.SERIES),
                "series-json-source");
        topology.addProcessor(
                "text-normalizer", () -> new Normalize(counts, Shape.TEXT), "text-json-source");
        topology.addProcessor(
                "vector-normalizer",
                () -> new Normalize(counts, Shape.VECTOR),
                "vector-json-source");
        topology.addProcessor(
                "image-normalizer", () -> new Normalize(counts, Shape.IMAGE), "image-json-source");
        topology.addSink(
                SERIES_SINK,
                Topics.SERIES_POINTS.name(),
                Topics.SERIES_POINTS.keySerde().serializer(),
                Topics.SERIES_POINTS.valueSerde().serializer(),
                "series-normalizer");
        topology.addSink(
                TEXT_SINK,
                Topics.TEXT_EVENTS.name(),
                Topics.TEXT_EVENTS.keySerde().serializer(),
                Topics.TEXT_EVENTS.valueSerde().serializer(),
                "text-normalizer");
        topology.addSink(
                VECTOR_SINK,
                Topics.VECTOR_EVENTS.name(),
                Topics.VECTOR_EVENTS.keySerde().serializer(),
                Topics.VECTOR_EVENTS.valueSerde().serializer(),
                "vector-normalizer");
        topology.addSink(
                IMAGE_SINK,
                Topics.IMAGE_EVENTS.name(),
                Topics.IMAGE_EVENTS.keySerde().serializer(),
                Topics.IMAGE_EVENTS.valueSerde().serializer(),
                "image-normalizer");
        topology.addSink(
                DEAD_LETTER_SINK,
                Topics.DEAD_LETTERS.name(),
                Topics.DEAD_LETTERS.keySerde().serializer(),
                Topics.DEAD_LETTERS.valueSerde().serializer(),
                "series-normalizer",
                "text-normalizer",
                "vector-normalizer",
                "image-normalizer");
        return topology;
    }

    private static final class Normalize implements Processor<byte[], byte[], Object, Object> {
        private final Counts counts;
        private final Shape shape;
        private ProcessorContext<Object, Object> context;

        Normalize(Counts counts, Shape shape) {
            this.counts = counts;
            this.shape = shape;
        }

        @Override
        public void init(ProcessorContext<Object, Object> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            String json =
                    record.value() == null
                            ? null
                            : new String(record.value(), StandardCharsets.UTF_8);
            String key =
                    record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            Instant recordTime = Instant.ofEpochMilli(record.timestamp());
            try {
                switch (shape) {
                    case SERIES -> {
                        SeriesPoint point = JsonEvents.seriesPoint(json, recordTime);
                        forward(point.getSeriesId(), point, record.timestamp(), SERIES_SINK);
                    }
                    case TEXT -> {
                        TextEvent event = JsonEvents.textEvent(json, key, recordTime);
                        forward(event.getId(), event, record.timestamp(), TEXT_SINK);
                    }
                    case VECTOR -> {
                        VectorEvent event = JsonEvents.vectorEvent(json, key, recordTime);
                        forward(event.getId(), event, record.timestamp(), VECTOR_SINK);
                    }
                    case IMAGE -> {
                        ImageEvent event = JsonImages.imageEvent(json, key, recordTime);
                        forward(event.getId(), event, record.timestamp(), IMAGE_SINK);
                    }
                }
                counts.normalized.increment();
            } catch (JsonEvents.InvalidEventException e) {
                RecordMetadata metadata = context.recordMetadata().orElseThrow();
                RecordOrigin origin =
                        new RecordOrigin(
                                metadata.topic(),
                                metadata.partition(),
                                metadata.offset(),
                                record.timestamp(),
                                record.key(),
                                record.value());
                DeadLetter letter =
                        DeadLetters.of(origin, "normalize", e.getMessage(), Instant.now());
                context.forward(
                        new Record<Object, Object>(record.key(), letter, record.timestamp()),
                        DEAD_LETTER_SINK);
                counts.deadLettered.increment();
            }
        }

        /** Keeps the input's record time: when it arrived, not its event time (see Topics). */
        private void forward(String key, Object value, long recordTime, String sink) {
            context.forward(new Record<Object, Object>(key, value, recordTime), sink);
        }
    }
}
