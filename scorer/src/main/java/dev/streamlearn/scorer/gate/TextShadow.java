package dev.streamlearn.scorer.gate;

import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.gate.Losses;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.GateEvent;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.serde.ByteBuffers;
import dev.streamlearn.scorer.registry.LiveRegistry;

/** A text-classifier version's loss on a labelled text: cross-entropy of its label. */
final class TextShadow implements Shadow {
    private final Kernels<TextClassifierModel> kernels;

    TextShadow(LiveRegistry registry) {
        this.kernels = new Kernels<>(registry, TextClassifierModel::new);
    }

    @Override
    public double[] losses(String model, GateEvent event, long[] versions) {
        TextEvent text;
        try {
            text =
                    Topics.TEXT_EVENTS
                            .valueSerde()
                            .deserializer()
                            .deserialize(
                                    Topics.TEXT_EVENTS.name(),
                                    ByteBuffers.copyOf(event.getValue()));
        } catch (RuntimeException unreadable) {
            return null; // the scoring processor dead-letters it
        }
        if (text == null || text.getLabel() == null) {
            return null;
        }
        double[] losses = new double[versions.length];
        for (int i = 0; i < versions.length; i++) {
            TextClassifierModel kernel = kernels.of(model, versions[i]);
            losses[i] =
                    kernel == null
                            ? Double.NaN
                            : Losses.logLoss(
                                    kernel.test(
                                                    kernel.tokenizer().tokenize(text.getText()),
                                                    text.getLabel())
                                            .probabilityOfActual());
        }
        kernels.retain(model, Shadows.keep(versions));
        return losses;
    }
}
