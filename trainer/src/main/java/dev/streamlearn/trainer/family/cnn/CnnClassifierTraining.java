package dev.streamlearn.trainer.family.cnn;

import dev.streamlearn.models.family.cnn.CnnClassifierFamily;
import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.models.family.cnn.CnnGeometry;
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
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The trainer's side of {@code cnn-classifier}: convolutions with ReLU and max pooling, a dense
 * ReLU layer, softmax, Adam (Kingma &amp; Ba 2015) and cross-entropy on the label's slot; each
 * labelled image event is an example. Learned by {@link FastCnnLearner} (plain Java); {@link
 * #network} is the reference it and the kernel are held to, with the layer indices {@code
 * CnnClassifierFamily.layout} names (convolution {@code 2l}, its pooling {@code 2l+1}, then the
 * dense and output layers). The network reads an image flattened channel-first, as DL4J's {@code
 * InputType.convolutionalFlat} does; for one channel that is the image's own order.
 */
public enum CnnClassifierTraining implements TrainingFamily {
    INSTANCE;

    /** Type byte of a pending {@link CnnExample} in a checkpoint. */
    private static final byte PENDING_EXAMPLE = 5;

    @Override
    public String shortName() {
        return "image";
    }

    @Override
    public ModelFamily family() {
        return CnnClassifierFamily.INSTANCE;
    }

    @Override
    public MultiLayerConfiguration network(ModelSpec spec) {
        CnnGeometry g = CnnGeometry.of(spec);
        NeuralNetConfiguration.ListBuilder layers =
                new NeuralNetConfiguration.Builder()
                        .seed(spec.get(CnnClassifierSpec.SEED))
                        .dataType(DataType.FLOAT)
                        .updater(new Adam(spec.get(CnnClassifierSpec.LEARNING_RATE)))
                        .weightInit(WeightInit.RELU)
                        .list();
        for (int l = 0; l < g.convolutions(); l++) {
            layers.layer(
                    new ConvolutionLayer.Builder(g.kernel(), g.kernel())
                            .stride(1, 1)
                            .nOut(g.filters()[l])
                            .activation(Activation.RELU)
                            .build());
            layers.layer(
                    new SubsamplingLayer.Builder(PoolingType.MAX)
                            .kernelSize(g.pool(), g.pool())
                            .stride(g.pool(), g.pool())
                            .build());
        }
        return layers.layer(
                        new DenseLayer.Builder()
                                .nOut(g.dense())
                                .activation(Activation.RELU)
                                .build())
                .layer(
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(g.slots())
                                .activation(Activation.SOFTMAX)
                                .weightInit(WeightInit.XAVIER)
                                .build())
                .setInputType(InputType.convolutionalFlat(g.height(), g.width(), g.channels()))
                .build();
    }

    public CnnLearner newLearner(ModelSpec spec) {
        return new FastCnnLearner(spec);
    }

    public CnnLearner restoreLearner(LearnerSnapshot snapshot) {
        return FastCnnLearner.restore(snapshot);
    }

    @Override
    public ModelTrainer newTrainer(ModelSpec spec) {
        return new CnnTrainer(spec);
    }

    @Override
    public ModelTrainer restoreTrainer(LearnerSnapshot learner) {
        return new CnnTrainer(learner);
    }

    @Override
    public void writePending(Serializable example, DataOutput out) throws IOException {
        CnnExample x = (CnnExample) example;
        out.writeByte(PENDING_EXAMPLE);
        out.writeInt(x.pixels().length);
        out.write(x.pixels());
        out.writeInt(x.slot());
    }

    @Override
    public Serializable readPending(DataInput in) throws IOException {
        PendingExamples.readType(in, PENDING_EXAMPLE, "image");
        byte[] pixels = new byte[in.readInt()];
        in.readFully(pixels);
        return new CnnExample(pixels, in.readInt());
    }

    @Override
    public WiredInput wire(
            StreamExecutionEnvironment env,
            TrainingInputs inputs,
            ModelDefinition model,
            TrainingOptions options) {
        return DecodedInput.wire(
                env,
                inputs,
                model,
                new DecodeImage(model.name(), model.spec()),
                "decode-image-events");
    }
}
