package dev.streamlearn.trainer.learning;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterBlock;
import dev.streamlearn.models.spec.ParameterLayout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves parameters between a DL4J network and {@link ModelWeights}, block by block with {@code
 * getParam(name)} (never by slicing {@code params()}, whose internal order is DL4J's business),
 * each block row-major, as {@link ParameterLayout} prescribes.
 */
public final class Dl4jWeights {
    private Dl4jWeights() {}

    public static ModelWeights export(ModelSpec spec, MultiLayerNetwork net) {
        ParameterLayout layout = ParameterLayout.of(spec);
        float[] params = new float[layout.size()];
        for (ParameterBlock block : layout.blocks()) {
            INDArray p = net.getParam(block.name());
            if (p.length() != block.length()) {
                throw new IllegalStateException(
                        "DL4J parameter "
                                + block.name()
                                + " has "
                                + p.length()
                                + " values, layout expects "
                                + block.length());
            }
            float[] values =
                    p.castTo(DataType.FLOAT)
                            .reshape('c', block.rows(), block.cols())
                            .dup('c')
                            .data()
                            .asFloat();
            System.arraycopy(values, 0, params, block.offset(), block.length());
        }
        return new ModelWeights(spec, params);
    }

    /** Writes weights into a network built for the same spec. */
    public static void load(ModelWeights weights, MultiLayerNetwork net) {
        for (ParameterBlock block : ParameterLayout.of(weights.spec()).blocks()) {
            float[] values = new float[block.length()];
            System.arraycopy(weights.params(), block.offset(), values, 0, block.length());
            INDArray target = net.getParam(block.name());
            INDArray source = Nd4j.create(values, new long[] {block.rows(), block.cols()}, 'c');
            net.setParam(block.name(), source.reshape(target.shape()));
        }
    }
}
