package dev.streamlearn.scorer.gate;

import dev.streamlearn.models.family.attention.AttentionTextModel;
import dev.streamlearn.models.family.attention.AttentionTextSpec;
import dev.streamlearn.models.gate.LabelPrior;
import dev.streamlearn.models.gate.Losses;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.GateEvent;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.serde.ByteBuffers;
import dev.streamlearn.scorer.registry.LiveRegistry;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An attention-text-classifier version's loss on a labelled text: cross-entropy of its label, as
 * {@link TextShadow} has it for the text classifier. The baseline is the majority class with the
 * recent label mix as its probabilities ({@link LabelPrior}), kept per model in the gate's
 * changelogged store.
 */
final class AttentionShadow implements Shadow {
    private final Kernels<AttentionTextModel> kernels;
    private final KeyValueStore<String, byte[]> priors;

    /**
     * @param priors where each model's label prior is kept, under the model's name and a NUL (a key
     *     no series window uses: theirs go on with a series id)
     */
    AttentionShadow(LiveRegistry registry, KeyValueStore<String, byte[]> priors) {
        this.kernels = new Kernels<>(registry, AttentionTextModel::new);
        this.priors = priors;
    }

    @Override
    public String baseline() {
        return "majority class";
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
        double[] losses = new double[versions.length + 1];
        int labels = 0;
        for (int i = 0; i < versions.length; i++) {
            AttentionTextModel kernel = kernels.of(model, versions[i]);
            if (kernel != null) {
                labels = Math.max(labels, AttentionTextSpec.labels(kernel.weights().spec()).size());
            }
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
        String key = model + "\u0000";
        LabelPrior prior = LabelPrior.decode(priors.get(key));
        losses[versions.length] = Losses.logLoss(prior.probability(text.getLabel(), labels));
        prior.learn(text.getLabel());
        priors.put(key, prior.encode());
        return losses;
    }
}
