package dev.streamlearn.scorer.gate;

import dev.streamlearn.models.family.mlp.MlpClassifierModel;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.gate.LabelPrior;
import dev.streamlearn.models.gate.Losses;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.GateEvent;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.schemas.serde.ByteBuffers;
import dev.streamlearn.scorer.registry.LiveRegistry;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An mlp-classifier version's loss on a labelled vector: cross-entropy of its label, as {@link
 * TextShadow}'s. The baseline is the same majority class with the recent label mix as its
 * probabilities ({@link LabelPrior}), kept per model in the gate's changelogged store. A vector no
 * version can read (another length) is no evidence: the scoring processor dead-letters it.
 */
final class VectorShadow implements Shadow {
    private final Kernels<MlpClassifierModel> kernels;
    private final KeyValueStore<String, byte[]> priors;

    /**
     * @param priors where each model's label prior is kept, under the model's name and a NUL
     */
    VectorShadow(LiveRegistry registry, KeyValueStore<String, byte[]> priors) {
        this.kernels = new Kernels<>(registry, MlpClassifierModel::new);
        this.priors = priors;
    }

    @Override
    public String baseline() {
        return "majority class";
    }

    @Override
    public double[] losses(String model, GateEvent event, long[] versions) {
        VectorEvent vector;
        try {
            vector =
                    Topics.VECTOR_EVENTS
                            .valueSerde()
                            .deserializer()
                            .deserialize(
                                    Topics.VECTOR_EVENTS.name(),
                                    ByteBuffers.copyOf(event.getValue()));
        } catch (RuntimeException unreadable) {
            return null;
        }
        if (vector == null || vector.getLabel() == null) {
            return null;
        }
        double[] x = new double[vector.getFeatures().size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = vector.getFeatures().get(i);
        }
        double[] losses = new double[versions.length + 1];
        int labels = 0;
        for (int i = 0; i < versions.length; i++) {
            MlpClassifierModel kernel = kernels.of(model, versions[i]);
            if (kernel != null && MlpClassifierModel.refusal(x, kernel.kernel().inputs()) != null) {
                kernel = null;
            }
            if (kernel != null) {
                labels = Math.max(labels, MlpClassifierSpec.labels(kernel.weights().spec()).size());
            }
            losses[i] =
                    kernel == null
                            ? Double.NaN
                            : Losses.logLoss(
                                    kernel.test(x, vector.getLabel()).probabilityOfActual());
        }
        kernels.retain(model, Shadows.keep(versions));
        if (labels == 0) {
            return null;
        }
        String key = model + "\u0000";
        LabelPrior prior = LabelPrior.decode(priors.get(key));
        losses[versions.length] = Losses.logLoss(prior.probability(vector.getLabel(), labels));
        prior.learn(vector.getLabel());
        priors.put(key, prior.encode());
        return losses;
    }
}
