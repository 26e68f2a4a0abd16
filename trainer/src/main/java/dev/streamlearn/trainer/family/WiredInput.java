package dev.streamlearn.trainer.family;

import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.trainer.training.TrainingInput;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A family's input, wired: what goes on to the model's learner (examples and the positions of
 * records that train nothing) and the records refused on the way.
 */
public record WiredInput(
        List<DataStream<TrainingInput>> toLearner, List<DataStream<DeadLetter>> deadLetters) {
    public WiredInput {
        toLearner = List.copyOf(toLearner);
        deadLetters = List.copyOf(deadLetters);
    }
}
