package dev.streamlearn.trainer.family.text;

import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.spec.Engine;
import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.family.DecodedInput;
import dev.streamlearn.trainer.family.PendingExamples;
import dev.streamlearn.trainer.family.TrainingFamily;
import dev.streamlearn.trainer.family.TrainingInputs;
import dev.streamlearn.trainer.family.WiredInput;
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
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The trainer's side of {@code text-classifier}: hashed token embeddings averaged over the text,
 * then softmax, Adam (Kingma &amp; Ba 2015); each labelled text event is an example.
 */
public enum TextClassifierTraining implements TrainingFamily {
    INSTANCE;

    /** Type byte of a pending {@link TextExample} in a checkpoint. */
    private static final byte PENDING_EXAMPLE = 2;

    @Override
    public String shortName() {
        return "text";
    }

    @Override
    public ModelFamily family() {
        return TextClassifierFamily.INSTANCE;
    }

    @Override
    public MultiLayerConfiguration network(ModelSpec spec) {
        int dim = spec.get(TextClassifierSpec.EMBEDDING_SIZE);
        return new NeuralNetConfiguration.Builder()
                .seed(spec.get(TextClassifierSpec.SEED))
                .dataType(DataType.FLOAT)
                .updater(new Adam(spec.get(TextClassifierSpec.LEARNING_RATE)))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(
                        new EmbeddingSequenceLayer.Builder()
                                .nIn(spec.get(TextClassifierSpec.VOCAB_SIZE))
                                .nOut(dim)
                                .hasBias(false)
                                .updater(
                                        new Adam(
                                                spec.get(
                                                        TextClassifierSpec
                                                                .EMBEDDING_LEARNING_RATE)))
                                .outputDataFormat(RNNFormat.NCW)
                                .build())
                // Average over the unmasked tokens only: padding must not dilute the mean.
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(dim)
                                .nOut(spec.get(TextClassifierSpec.MAX_LABELS))
                                .activation(Activation.SOFTMAX)
                                .build())
                .build();
    }

    /** The learner of {@code spec}'s engine ({@link TextClassifierSpec#ENGINE}). */
    public TextLearner newLearner(ModelSpec spec) {
        return Engine.isFast(spec)
                ? new FastTextClassifierLearner(spec)
                : new TextClassifierLearner(spec);
    }

    /**
     * Continues a learner from its snapshot, with the engine that took it. A snapshot whose spec
     * names no engine predates the choice and is DL4J's (its parameters are in DL4J's order).
     */
    public TextLearner restoreLearner(LearnerSnapshot snapshot) {
        LearnerSnapshot named = snapshot.withSpecDefault(Engine.NAME, Engine.DL4J);
        return Engine.FAST.equals(named.spec().get(Engine.NAME))
                ? FastTextClassifierLearner.restore(named)
                : TextClassifierLearner.restore(named);
    }

    @Override
    public ModelTrainer newTrainer(ModelSpec spec) {
        return new TextTrainer(spec);
    }

    @Override
    public ModelTrainer restoreTrainer(LearnerSnapshot learner) {
        return new TextTrainer(learner);
    }

    @Override
    public void writePending(Serializable example, DataOutput out) throws IOException {
        TextExample x = (TextExample) example;
        out.writeByte(PENDING_EXAMPLE);
        out.writeInt(x.ids().length);
        for (int id : x.ids()) {
            out.writeInt(id);
        }
        out.writeInt(x.slot());
    }

    @Override
    public Serializable readPending(DataInput in) throws IOException {
        PendingExamples.readType(in, PENDING_EXAMPLE, "text");
        int[] ids = new int[in.readInt()];
        for (int t = 0; t < ids.length; t++) {
            ids[t] = in.readInt();
        }
        return new TextExample(ids, in.readInt());
    }

    @Override
    public WiredInput wire(
            StreamExecutionEnvironment env,
            TrainingInputs inputs,
            ModelDefinition model,
            TrainingOptions options) {
        return DecodedInput.wire(
                env, inputs, model, new DecodeText(model.name()), "decode-text-events");
    }
}
