package dev.streamlearn.trainer.flink;

import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import org.apache.flink.api.connector.sink2.Sink;

/** Where the job writes: versions, training metrics, dead letters and detected drifts. */
public interface TrainingSinks {
    Sink<ModelVersion> modelVersions();

    Sink<TrainingMetrics> trainingMetrics();

    Sink<DeadLetter> deadLetters();

    /** Drifts the learners detected ({@code GateDecision.DRIFT} records). */
    Sink<ModelEvent> modelEvents();
}
