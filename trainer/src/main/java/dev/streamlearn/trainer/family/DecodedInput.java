package dev.streamlearn.trainer.family;

import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingInput;
import java.util.List;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;

/**
 * The wiring of a family whose every record decodes on its own into what its learner takes (vector,
 * image and text events): one decoding operator on the model's topic, whose refusals are the dead
 * letters.
 */
public final class DecodedInput {
    private DecodedInput() {}

    /**
     * {@code model}'s topic decoded by {@code decode}, an operator with uid {@code uid} plus the
     * model's suffix (the uid its state is checkpointed under, so it must not change).
     */
    public static WiredInput wire(
            StreamExecutionEnvironment env,
            TrainingInputs inputs,
            ModelDefinition model,
            ProcessFunction<RecordOrigin, TrainingInput> decode,
            String uid) {
        SingleOutputStreamOperator<TrainingInput> decoded =
                inputs.records(env, model.topic())
                        .process(decode, JobStreams.TRAINING_INPUT)
                        .uid(uid + model.operatorIdSuffix())
                        .name("decode " + model.topic() + " for " + model.name());
        return new WiredInput(
                List.of(decoded), List.of(decoded.getSideOutput(JobStreams.DEAD_LETTERS)));
    }
}
