package dev.streamlearn.trainer.flink;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingInput;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Small models and records for the job's tests: small enough to train in milliseconds. */
final class Fixtures {
    static final String TEXT_MODEL = "text-classifier";
    static final String SERIES_MODEL = "lstm-forecaster";

    private Fixtures() {}

    /** Vocabulary 2^12, embedding 8, mini-batches of {@code batch}. */
    static ModelDefinition smallText(int batch) {
        ModelSpec spec =
                TextClassifierSpec.defaults()
                        .with(TextClassifierSpec.VOCAB_SIZE, 1 << 12)
                        .with(TextClassifierSpec.EMBEDDING_SIZE, 8)
                        .with(TextClassifierSpec.BATCH_SIZE, batch);
        return ModelDefinition.of(TEXT_MODEL, spec);
    }

    /** Window {@code window}, hidden size 8, mini-batches of {@code batch}. */
    static ModelDefinition smallSeries(int window, int batch) {
        ModelSpec spec =
                LstmForecasterSpec.defaults()
                        .with(LstmForecasterSpec.WINDOW, window)
                        .with(LstmForecasterSpec.HIDDEN_SIZE, 8)
                        .with(LstmForecasterSpec.BATCH_SIZE, batch);
        return ModelDefinition.of(SERIES_MODEL, spec);
    }

    static RecordOrigin textRecord(String topic, int partition, long offset, TextEvent e) {
        return new RecordOrigin(
                topic,
                partition,
                offset,
                e.getEventTime().toEpochMilli(),
                e.getId().getBytes(StandardCharsets.UTF_8),
                Topics.TEXT_EVENTS.valueSerde().serializer().serialize(topic, e));
    }

    static RecordOrigin seriesRecord(String topic, int partition, long offset, SeriesPoint p) {
        return new RecordOrigin(
                topic,
                partition,
                offset,
                p.getEventTime().toEpochMilli(),
                p.getSeriesId().getBytes(StandardCharsets.UTF_8),
                Topics.SERIES_POINTS.valueSerde().serializer().serialize(topic, p));
    }

    static SeriesPoint point(String series, long time, double value) {
        return new SeriesPoint(series, Instant.ofEpochMilli(time), value);
    }

    /** A labelled text as the text decoder hands it to the learner. */
    static TrainingInput labelled(long offset, TextEvent e) {
        return TrainingInput.labelledText(
                TEXT_MODEL,
                textRecord("text-events", 0, offset, e),
                e.getId(),
                e.getEventTime().toEpochMilli(),
                e.getText(),
                e.getLabel());
    }
}
