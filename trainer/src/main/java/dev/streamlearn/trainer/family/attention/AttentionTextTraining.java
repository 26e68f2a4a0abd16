package dev.streamlearn.trainer.family.attention;

import dev.streamlearn.models.family.attention.AttentionTextFamily;
import dev.streamlearn.models.family.attention.AttentionTextSpec;
import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterBlock;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.trainer.family.TrainingFamily;
import dev.streamlearn.trainer.family.TrainingInputs;
import dev.streamlearn.trainer.family.WiredInput;
import dev.streamlearn.trainer.family.text.DecodeText;
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
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * The trainer's side of {@code attention-text-classifier}: each labelled {@code text-events} record
 * is an example, decoded as the text classifier's are ({@link DecodeText}). Learned by {@link
 * FastAttentionLearner} only; its DL4J reference is a SameDiff graph ({@link #network} says why and
 * where).
 */
public enum AttentionTextTraining implements TrainingFamily {
    INSTANCE;

    /** Type byte of a pending {@link AttentionExample} in a checkpoint. */
    private static final byte PENDING_EXAMPLE = 6;

    @Override
    public String shortName() {
        return "attention";
    }

    @Override
    public ModelFamily family() {
        return AttentionTextFamily.INSTANCE;
    }

    /**
     * None: DL4J's {@code MultiLayerNetwork} has neither layer normalisation nor a residual
     * connection, and its {@code SelfAttentionLayer} / {@code LearnedSelfAttentionLayer} are the
     * attention alone, so no configuration of DL4J's built-in layers is this network, and this seam
     * returns nothing else. The DL4J reference is the block written as a SameDiff graph over the
     * same layout ({@code AttentionSameDiff}, trainer test sources): {@code AttentionParityTest}
     * holds the kernel's probabilities on learned weights and the learner's mini-batch gradients to
     * it, and {@code AttentionTextKernelTest} and {@code FastAttentionLearnerTest} hold them to
     * hand-computed outputs and central differences. Nothing in the job asks a family for its
     * network.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public MultiLayerConfiguration network(ModelSpec spec) {
        throw new UnsupportedOperationException(
                AttentionTextFamily.ID
                        + " has no DL4J network: DL4J's layers have no layer normalisation or"
                        + " residual connection; it is learned in plain Java only");
    }

    /**
     * The initial weights of {@code spec}, seeded: the embedding, the query, key, value and first
     * feed-forward matrices and the output layer Gaussian with Xavier's spread √(2/(fanIn +
     * fanOut)) (the text classifier's embedding and head start so too); layer-norm gains 1; the
     * positions, every bias and the last matrix of each residual branch ({@code 1_Wo}, {@code
     * 1_W2}) zero. So the untrained model is exactly the text classifier's embedding bag, and the
     * block adds to it only what its gradients earn (zero-initialised residual branches: Goyal et
     * al. 2017, Zhang et al. 2019).
     */
    public static float[] initialWeights(ModelSpec spec) {
        ParameterLayout layout = ParameterLayout.of(spec);
        float[] params = new float[layout.size()];
        SplittableRandom random = new SplittableRandom(spec.get(AttentionTextSpec.SEED));
        for (ParameterBlock block : layout.blocks()) {
            switch (block.name()) {
                case "0_W", "1_Wq", "1_Wk", "1_Wv", "1_W1", "2_W" -> {
                    double spread = Math.sqrt(2.0 / (block.rows() + block.cols()));
                    for (int i = 0; i < block.length(); i++) {
                        params[block.offset() + i] = (float) (random.nextGaussian() * spread);
                    }
                }
                case "1_ln1g", "1_ln2g" ->
                        Arrays.fill(params, block.offset(), block.offset() + block.length(), 1f);
                default -> {}
            }
        }
        return params;
    }

    public AttentionLearner newLearner(ModelSpec spec) {
        return new FastAttentionLearner(spec);
    }

    public AttentionLearner restoreLearner(LearnerSnapshot snapshot) {
        return FastAttentionLearner.restore(snapshot);
    }

    @Override
    public ModelTrainer newTrainer(ModelSpec spec) {
        return new AttentionTrainer(spec);
    }

    @Override
    public ModelTrainer restoreTrainer(LearnerSnapshot learner) {
        return new AttentionTrainer(learner);
    }

    @Override
    public void writePending(Serializable example, DataOutput out) throws IOException {
        AttentionExample x = (AttentionExample) example;
        out.writeByte(PENDING_EXAMPLE);
        out.writeInt(x.ids().length);
        for (int id : x.ids()) {
            out.writeInt(id);
        }
        out.writeInt(x.slot());
    }

    @Override
    public Serializable readPending(DataInput in) throws IOException {
        byte type = in.readByte();
        if (type != PENDING_EXAMPLE) {
            throw new IOException(
                    "pending example type "
                            + type
                            + ", expected "
                            + PENDING_EXAMPLE
                            + " (attention text)");
        }
        int[] ids = new int[in.readInt()];
        for (int t = 0; t < ids.length; t++) {
            ids[t] = in.readInt();
        }
        return new AttentionExample(ids, in.readInt());
    }

    @Override
    public WiredInput wire(
            StreamExecutionEnvironment env,
            TrainingInputs inputs,
            ModelDefinition model,
            TrainingOptions options) {
        SingleOutputStreamOperator<TrainingInput> texts =
                inputs.records(env, model.topic())
                        .process(new DecodeText(model.name()), JobStreams.TRAINING_INPUT)
                        .uid("decode-text-events-for-attention" + model.operatorIdSuffix())
                        .name("decode " + model.topic() + " for " + model.name());
        return new WiredInput(
                List.of(texts), List.of(texts.getSideOutput(JobStreams.DEAD_LETTERS)));
    }
}
