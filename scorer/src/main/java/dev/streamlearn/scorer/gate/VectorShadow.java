package dev.streamlearn.scorer.gate;

import dev.streamlearn.models.family.mlp.MlpClassifierModel;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.scorer.registry.LiveRegistry;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An mlp-classifier version's loss on a labelled vector, against the majority class. A vector no
 * version can read (another length) is no evidence: the scoring processor dead-letters it.
 */
final class VectorShadow extends ClassifierShadow<VectorEvent, double[], MlpClassifierModel> {
    VectorShadow(LiveRegistry registry, KeyValueStore<String, byte[]> priors) {
        super(Topics.VECTOR_EVENTS, registry, MlpClassifierModel::new, priors);
    }

    @Override
    String label(VectorEvent vector) {
        return vector.getLabel();
    }

    @Override
    double[] input(VectorEvent vector) {
        double[] x = new double[vector.getFeatures().size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = vector.getFeatures().get(i);
        }
        return x;
    }

    @Override
    boolean reads(MlpClassifierModel kernel, VectorEvent vector, double[] x) {
        return MlpClassifierModel.refusal(x, kernel.kernel().inputs()) == null;
    }

    @Override
    boolean unreadByAllIsNoEvidence() {
        return true;
    }

    @Override
    int labels(MlpClassifierModel kernel) {
        return MlpClassifierSpec.labels(kernel.weights().spec()).size();
    }

    @Override
    double probabilityOf(String label, MlpClassifierModel kernel, double[] x) {
        return kernel.test(x, label).probabilityOfActual();
    }
}
