package dev.streamlearn.trainer.learning;

import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.spec.ModelSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the DL4J network of a spec, with the layer and parameter names that {@code
 * models.kernel.ParameterLayout} documents. Seeded, float32, Adam (Kingma &amp; Ba 2015).
 */
public final class NetworkFactory {
    private NetworkFactory() {}

    public static MultiLayerNetwork build(ModelSpec spec) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(spec));
        net.init();
        return net;
    }

    static MultiLayerConfiguration configuration(ModelSpec spec) {
        return spec.kind() == LstmForecasterFamily.INSTANCE
                ? forecaster(spec)
                : textClassifier(spec);
    }

    private static MultiLayerConfiguration forecaster(ModelSpec spec) {
        int hidden = spec.get(LstmForecasterSpec.HIDDEN_SIZE);
        return new NeuralNetConfiguration.Builder()
                .seed(spec.get(LstmForecasterSpec.SEED))
                .dataType(DataType.FLOAT)
                .updater(new Adam(spec.get(LstmForecasterSpec.LEARNING_RATE)))
                .weightInit(WeightInit.XAVIER)
                .list()
                // LSTM (Hochreiter & Schmidhuber 1997) read to the end of the window; only its
                // last hidden state feeds the output.
                .layer(
                        new LastTimeStep(
                                new LSTM.Builder()
                                        .nIn(1)
                                        .nOut(hidden)
                                        .activation(Activation.TANH)
                                        .gateActivationFunction(Activation.SIGMOID)
                                        .dataFormat(RNNFormat.NCW)
                                        .build()))
                .layer(
                        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(hidden)
                                .nOut(1)
                                .activation(Activation.IDENTITY)
                                .build())
                .build();
    }

    private static MultiLayerConfiguration textClassifier(ModelSpec spec) {
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
}
