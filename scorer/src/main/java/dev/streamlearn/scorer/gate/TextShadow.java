package dev.streamlearn.scorer.gate;

import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.scorer.registry.LiveRegistry;
import org.apache.kafka.streams.state.KeyValueStore;

/** A text-classifier version's loss on a labelled text, against the majority class. */
final class TextShadow extends ClassifierShadow<TextEvent, String, TextClassifierModel> {
    TextShadow(LiveRegistry registry, KeyValueStore<String, byte[]> priors) {
        super(Topics.TEXT_EVENTS, registry, TextClassifierModel::new, priors);
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
    int labels(TextClassifierModel kernel) {
        return TextClassifierSpec.labels(kernel.weights().spec()).size();
    }

    @Override
    double probabilityOf(String label, TextClassifierModel kernel, String text) {
        return kernel.test(kernel.tokenizer().tokenize(text), label).probabilityOfActual();
    }
}
