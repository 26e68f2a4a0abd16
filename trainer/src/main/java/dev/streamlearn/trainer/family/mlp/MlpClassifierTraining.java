package dev.streamlearn.trainer.family.mlp;

import dev.streamlearn.models.family.mlp.MlpClassifierFamily;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
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
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The trainer's side of {@code mlp-classifier}: dense layers, then softmax, Adam (Kingma &amp; Ba
 * 2015); each labelled vector event is an example. Learned by {@link FastMlpLearner} only (see
 * there why DL4J does not learn it); {@link #network} is the reference it and the kernel are held
 * to.
 */
public enum MlpClassifierTraining implements TrainingFamily {
    INSTANCE;

    /** Type byte of a pending {@link MlpExample} in a checkpoint. */
    private static final byte PENDING_EXAMPLE = 4;

    @Override
    public String shortName() {
        return "vector";
    }

    @Override
    public ModelFamily family() {
        return MlpClassifierFamily.INSTANCE;
    }

    @Override
    public MultiLayerConfiguration network(ModelSpec spec) {
        Activation activation =
                spec.get(MlpClassifierSpec.ACTIVATION).equals("relu")
                        ? Activation.RELU
                        : Activation.TANH;
        NeuralNetConfiguration.ListBuilder layers =
                new NeuralNetConfiguration.Builder()
                        .seed(spec.get(MlpClassifierSpec.SEED))
                        .dataType(DataType.FLOAT)
                        .updater(new Adam(spec.get(MlpClassifierSpec.LEARNING_RATE)))
                        .weightInit(WeightInit.XAVIER)
                        .list();
        int in = spec.get(MlpClassifierSpec.INPUTS);
        for (int units : MlpClassifierSpec.hiddenSizes(spec)) {
            layers.layer(
                    new DenseLayer.Builder().nIn(in).nOut(units).activation(activation).build());
            in = units;
        }
        return layers.layer(
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(in)
                                .nOut(spec.get(MlpClassifierSpec.MAX_LABELS))
                                .activation(Activation.SOFTMAX)
                                .build())
                .build();
    }

    public MlpLearner newLearner(ModelSpec spec) {
        return new FastMlpLearner(spec);
    }

    public MlpLearner restoreLearner(LearnerSnapshot snapshot) {
        return FastMlpLearner.restore(snapshot);
    }

    @Override
    public ModelTrainer newTrainer(ModelSpec spec) {
        return new MlpTrainer(spec);
    }

    @Override
    public ModelTrainer restoreTrainer(LearnerSnapshot learner) {
        return new MlpTrainer(learner);
    }

    @Override
    public void writePending(Serializable example, DataOutput out) throws IOException {
        MlpExample x = (MlpExample) example;
        out.writeByte(PENDING_EXAMPLE);
        out.writeInt(x.features().length);
        for (double f : x.features()) {
            out.writeDouble(f);
        }
        out.writeInt(x.slot());
    }

    @Override
    public Serializable readPending(DataInput in) throws IOException {
        PendingExamples.readType(in, PENDING_EXAMPLE, "vector");
        double[] features = new double[in.readInt()];
        for (int i = 0; i < features.length; i++) {
            features[i] = in.readDouble();
        }
        return new MlpExample(features, in.readInt());
    }

    @Override
    public WiredInput wire(
            StreamExecutionEnvironment env,
            TrainingInputs inputs,
            ModelDefinition model,
            TrainingOptions options) {
        return DecodedInput.wire(
                env, inputs, model, new DecodeVector(model.name()), "decode-vector-events");
    }
}
