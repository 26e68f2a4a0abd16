package dev.streamlearn.scorer.gate;

import dev.streamlearn.models.family.cnn.CnnClassifierModel;
import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.models.gate.LabelPrior;
import dev.streamlearn.models.gate.Losses;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.GateEvent;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.serde.ByteBuffers;
import dev.streamlearn.scorer.registry.LiveRegistry;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A cnn-classifier version's loss on a labelled image: cross-entropy of its label, as {@link
 * VectorShadow}'s. The baseline is the same majority class with the recent label mix as its
 * probabilities ({@link LabelPrior}), kept per model in the gate's changelogged store. An image no
 * version can read (another size) is no evidence: the scoring processor dead-letters it.
 */
final class ImageShadow implements Shadow {
    private final Kernels<CnnClassifierModel> kernels;
    private final KeyValueStore<String, byte[]> priors;

    /**
     * @param priors where each model's label prior is kept, under the model's name and a NUL
     */
    ImageShadow(LiveRegistry registry, KeyValueStore<String, byte[]> priors) {
        this.kernels = new Kernels<>(registry, CnnClassifierModel::new);
        this.priors = priors;
    }

    @Override
    public String baseline() {
        return "majority class";
    }

    @Override
    public double[] losses(String model, GateEvent event, long[] versions) {
        ImageEvent image;
        try {
            image =
                    Topics.IMAGE_EVENTS
                            .valueSerde()
                            .deserializer()
                            .deserialize(
                                    Topics.IMAGE_EVENTS.name(),
                                    ByteBuffers.copyOf(event.getValue()));
        } catch (RuntimeException unreadable) {
            return null;
        }
        if (image == null || image.getLabel() == null) {
            return null;
        }
        byte[] pixels = ByteBuffers.copyOf(image.getPixels());
        float[] scaled = null;
        double[] losses = new double[versions.length + 1];
        int labels = 0;
        for (int i = 0; i < versions.length; i++) {
            CnnClassifierModel kernel = kernels.of(model, versions[i]);
            if (kernel != null
                    && CnnClassifierModel.refusal(
                                    kernel.weights().spec(),
                                    image.getWidth(),
                                    image.getHeight(),
                                    image.getChannels(),
                                    pixels)
                            != null) {
                kernel = null;
            }
            if (kernel != null) {
                labels = Math.max(labels, CnnClassifierSpec.labels(kernel.weights().spec()).size());
                if (scaled == null) {
                    scaled = CnnClassifierModel.scaled(pixels);
                }
            }
            losses[i] =
                    kernel == null
                            ? Double.NaN
                            : Losses.logLoss(
                                    kernel.test(scaled, image.getLabel()).probabilityOfActual());
        }
        kernels.retain(model, Shadows.keep(versions));
        if (labels == 0) {
            return null;
        }
        String key = model + "\u0000";
        LabelPrior prior = LabelPrior.decode(priors.get(key));
        losses[versions.length] = Losses.logLoss(prior.probability(image.getLabel(), labels));
        prior.learn(image.getLabel());
        priors.put(key, prior.encode());
        return losses;
    }
}
