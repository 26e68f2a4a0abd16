package dev.streamlearn.trainer.family.lstm;

import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.spec.Engine;
import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.trainer.family.PendingExamples;
import dev.streamlearn.trainer.family.TrainingFamily;
import dev.streamlearn.trainer.family.TrainingInputs;
import dev.streamlearn.trainer.family.WiredInput;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.ModelTrainer;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The trainer's side of {@code lstm-forecaster}: an LSTM read to the end of the window, Adam
 * (Kingma &amp; Ba 2015); series points are decoded, then windowed per series, and each window with
 * its next point is an example.
 */
public enum LstmForecasterTraining implements TrainingFamily {
    INSTANCE;

    /** Type byte of a pending {@link SeriesExample} in a checkpoint. */
    private static final byte PENDING_EXAMPLE = 1;

    @Override
    public String shortName() {
        return "series";
    }

    @Override
    public ModelFamily family() {
        return LstmForecasterFamily.INSTANCE;
    }

    @Override
    public MultiLayerConfiguration network(ModelSpec spec) {
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

    /**
     * {@code spec} without the linear part: the spec of the DL4J network alone, whose parameters
     * lead the layout of {@code spec} in the same order.
     */
    public static ModelSpec lstmOnly(ModelSpec spec) {
        return spec.with(LstmForecasterSpec.STRUCTURE, LstmForecasterSpec.LSTM_ONLY);
    }

    /** The learner of {@code spec}'s engine ({@link LstmForecasterSpec#ENGINE}). */
    public SeriesLearner newLearner(ModelSpec spec) {
        return Engine.isFast(spec) ? new FastForecasterLearner(spec) : new ForecasterLearner(spec);
    }

    /**
     * Continues a learner from its snapshot, with the engine that took it. A snapshot whose spec
     * names no engine predates the choice and is DL4J's (its parameters are in DL4J's order).
     */
    public SeriesLearner restoreLearner(LearnerSnapshot snapshot) {
        // A snapshot that names no structure predates the linear part: the LSTM alone.
        LearnerSnapshot named =
                snapshot.withSpecDefault(Engine.NAME, Engine.DL4J)
                        .withSpecDefault(
                                LstmForecasterSpec.STRUCTURE.name(), LstmForecasterSpec.LSTM_ONLY);
        return Engine.FAST.equals(named.spec().get(Engine.NAME))
                ? FastForecasterLearner.restore(named)
                : ForecasterLearner.restore(named);
    }

    @Override
    public ModelTrainer newTrainer(ModelSpec spec) {
        return new SeriesTrainer(spec);
    }

    @Override
    public ModelTrainer restoreTrainer(LearnerSnapshot learner) {
        return new SeriesTrainer(learner);
    }

    @Override
    public void writePending(Serializable example, DataOutput out) throws IOException {
        SeriesExample x = (SeriesExample) example;
        out.writeByte(PENDING_EXAMPLE);
        out.writeInt(x.inputs().length);
        for (float f : x.inputs()) {
            out.writeInt(Float.floatToRawIntBits(f)); // raw bits: a restore is bitwise exact
        }
        out.writeFloat(x.target());
    }

    @Override
    public Serializable readPending(DataInput in) throws IOException {
        PendingExamples.readType(in, PENDING_EXAMPLE, "series");
        float[] inputs = new float[in.readInt()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = Float.intBitsToFloat(in.readInt());
        }
        return new SeriesExample(inputs, in.readFloat());
    }

    @Override
    public WiredInput wire(
            StreamExecutionEnvironment env,
            TrainingInputs inputs,
            ModelDefinition model,
            TrainingOptions options) {
        SingleOutputStreamOperator<TrainingInput> points =
                inputs.records(env, model.topic())
                        .process(new DecodeSeries(model.name()), JobStreams.TRAINING_INPUT)
                        .uid("decode-series-points" + model.operatorIdSuffix())
                        .name("decode " + model.topic() + " for " + model.name());
        DataStream<TrainingInput> windows =
                points.keyBy(new BySeries())
                        .process(
                                new SeriesWindowFunction(model, options), JobStreams.TRAINING_INPUT)
                        .uid("series-windows" + model.operatorIdSuffix())
                        .name("last W points per series for " + model.name());
        List<DataStream<DeadLetter>> dead = List.of(points.getSideOutput(JobStreams.DEAD_LETTERS));
        return new WiredInput(List.of(windows, points.getSideOutput(DecodeSeries.CONSUMED)), dead);
    }

    /** Series points are windowed per series. */
    public static final class BySeries implements KeySelector<TrainingInput, String> {
        @Override
        public String getKey(TrainingInput in) {
            return ((TrainingInput.SeriesPoint) in).id();
        }
    }
}
