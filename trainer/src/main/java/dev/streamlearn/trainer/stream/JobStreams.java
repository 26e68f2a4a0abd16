package dev.streamlearn.trainer.stream;

import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.trainer.training.TrainingInput;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** The streams between the job's operators, and the type information Flink carries them with. */
public final class JobStreams {
    /** The stage name the trainer writes into every dead letter. */
    public static final String STAGE = "trainer";

    public static final TypeInformation<TrainingInput> TRAINING_INPUT =
            TrainingInputTypeInfo.INSTANCE;

    /** The side output every operator of the job sends refused records to. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    /** The learner's figures at each version it publishes. */
    public static final OutputTag<TrainingMetrics> TRAINING_METRICS =
            new OutputTag<>("training-metrics", new AvroTypeInfo<>(TrainingMetrics.class));

    /** Drifts the learner detected ({@code DriftEvents}). */
    public static final OutputTag<ModelEvent> MODEL_EVENTS =
            new OutputTag<>("model-events", new AvroTypeInfo<>(ModelEvent.class));

    private JobStreams() {}
}
