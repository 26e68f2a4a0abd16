package dev.streamlearn.trainer.family;

import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.ModelTrainer;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * What the trainer needs of a model family beyond the {@link ModelFamily} of {@code models}: its
 * DL4J network, its Flink-free test-then-train {@link ModelTrainer}, how its pending examples are
 * checkpointed, and how the job turns its input records into training inputs. Each family
 * implements it once (an enum singleton) in its own package, {@code trainer.family.<name>}, and is
 * listed once in {@code trainer.TrainingFamilies}; see {@code docs/ARCHITECTURE.md}, "Adding a
 * model family".
 */
public interface TrainingFamily {
    /** The family as training and serving both know it. */
    ModelFamily family();

    /**
     * The family's name on the trainer's command line, {@code --model <name>}, e.g. {@code text}.
     */
    String shortName();

    /**
     * The DL4J network of {@code spec}, with the layer and parameter names that the family's {@code
     * ParameterLayout} documents. Seeded, float32.
     */
    MultiLayerConfiguration network(ModelSpec spec);

    /** A trainer starting from {@code spec}'s random initialisation. */
    ModelTrainer newTrainer(ModelSpec spec);

    /** A trainer continuing a learner saved by {@link ModelTrainer#learnerSnapshot()}. */
    ModelTrainer restoreTrainer(LearnerSnapshot learner);

    /**
     * Writes one example of a partly filled mini-batch ({@link LearnerSnapshot#pending()}), a type
     * byte first, as {@link #readPending} reads it back bitwise.
     */
    void writePending(Serializable example, DataOutput out) throws IOException;

    Serializable readPending(DataInput in) throws IOException;

    /**
     * Adds to {@code env} what turns the family's input records into inputs of {@code model}'s
     * learner (decoding, and for a series the per-series window), with stable operator uids.
     */
    WiredInput wire(
            StreamExecutionEnvironment env,
            TrainingInputs inputs,
            ModelDefinition model,
            TrainingOptions options);
}
