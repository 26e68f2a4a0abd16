package dev.streamlearn.scorer.gate;

import dev.streamlearn.models.family.attention.AttentionTextModel;
import dev.streamlearn.models.family.attention.AttentionTextSpec;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.scorer.registry.LiveRegistry;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An attention-text-classifier version's loss on a labelled text, against the majority class, as
 * {@link TextShadow} has it for the text classifier.
 */
final class AttentionShadow extends ClassifierShadow<TextEvent, String, AttentionTextModel> {
    AttentionShadow(LiveRegistry registry, KeyValueStore<String, byte[]> priors) {
        super(Topics.TEXT_EVENTS, registry, AttentionTextModel::new, priors);
    }

    @Override
    String label(TextEvent text) {
        return text.getLabel();
    }

    @Override
    String input(TextEvent text) {
        return text.getText();
    }

    @Override
    int labels(AttentionTextModel kernel) {
        return AttentionTextSpec.labels(kernel.weights().spec()).size();
    }

    @Override
    double probabilityOf(String label, AttentionTextModel kernel, String text) {
        return kernel.test(kernel.tokenizer().tokenize(text), label).probabilityOfActual();
    }
}
