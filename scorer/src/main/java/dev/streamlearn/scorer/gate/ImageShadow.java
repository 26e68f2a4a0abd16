package dev.streamlearn.scorer.gate;

import dev.streamlearn.models.family.cnn.CnnClassifierModel;
import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.serde.ByteBuffers;
import dev.streamlearn.scorer.registry.LiveRegistry;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A cnn-classifier version's loss on a labelled image, against the majority class. An image no
 * version can read (another size) is no evidence: the scoring processor dead-letters it.
 */
final class ImageShadow
        extends ClassifierShadow<ImageEvent, ImageShadow.Pixels, CnnClassifierModel> {
    /** An image's pixels as sent (0-255) and as the kernels read them (scaled to [0, 1]). */
    record Pixels(byte[] raw, float[] scaled) {}

    ImageShadow(LiveRegistry registry, KeyValueStore<String, byte[]> priors) {
        super(Topics.IMAGE_EVENTS, registry, CnnClassifierModel::new, priors);
    }

    @Override
    String label(ImageEvent image) {
        return image.getLabel();
    }

    @Override
    Pixels input(ImageEvent image) {
        byte[] raw = ByteBuffers.copyOf(image.getPixels());
        return new Pixels(raw, CnnClassifierModel.scaled(raw));
    }

    @Override
    boolean reads(CnnClassifierModel kernel, ImageEvent image, Pixels pixels) {
        return CnnClassifierModel.refusal(
                        kernel.weights().spec(),
                        image.getWidth(),
                        image.getHeight(),
                        image.getChannels(),
                        pixels.raw())
                == null;
    }

    @Override
    boolean unreadByAllIsNoEvidence() {
        return true;
    }

    @Override
    int labels(CnnClassifierModel kernel) {
        return CnnClassifierSpec.labels(kernel.weights().spec()).size();
    }

    @Override
    double probabilityOf(String label, CnnClassifierModel kernel, Pixels pixels) {
        return kernel.test(pixels.scaled(), label).probabilityOfActual();
    }
}
