package dev.streamlearn.scorer.gate;

import dev.streamlearn.models.gate.LabelPrior;
import dev.streamlearn.models.gate.Losses;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.avro.GateEvent;
import dev.streamlearn.schemas.serde.ByteBuffers;
import dev.streamlearn.scorer.registry.LiveRegistry;
import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A classifier version's loss on a labelled event: cross-entropy of its label. The baseline is the
 * majority class with the recent label mix as its probabilities ({@link LabelPrior}), kept per
 * model in the gate's changelogged store. Each classifier family says how its events are read and
 * tested; an event that cannot be decoded, or has no label, is no evidence (the scoring processor
 * dead-letters what it cannot read).
 *
 * @param <E> the family's event record
 * @param <X> the event's input as the family's kernels read it, prepared once per event
 * @param <M> the family's scoring model
 */
abstract class ClassifierShadow<E, X, M> implements Shadow {
    private final Topic<?, E> topic;
    private final Kernels<M> kernels;
    private final KeyValueStore<String, byte[]> priors;

    /**
     * @param priors where each model's label prior is kept, under the model's name and a NUL (a key
     *     no series window uses: theirs go on with a series id)
     */
    ClassifierShadow(
            Topic<?, E> topic,
            LiveRegistry registry,
            Function<ModelWeights, M> kernel,
            KeyValueStore<String, byte[]> priors) {
        this.topic = topic;
        this.kernels = new Kernels<>(registry, kernel);
        this.priors = priors;
    }

    abstract String label(E event);

    abstract X input(E event);

    /** Whether {@code kernel} can read {@code event} (a vector of another length cannot). */
    boolean reads(M kernel, E event, X input) {
        return true;
    }

    /** How many labels {@code kernel}'s version has slots for. */
    abstract int labels(M kernel);

    /** The probability {@code kernel} gives {@code label}. */
    abstract double probabilityOf(String label, M kernel, X input);

    /**
     * Whether an event that no held version could read is no evidence at all, the baseline's
     * included: so for families whose inputs have a size (vectors, images), where it means the
     * event is of another size; a text is always readable.
     */
    boolean unreadByAllIsNoEvidence() {
        return false;
    }

    @Override
    public String baseline() {
        return "majority class";
    }

    @Override
    public double[] losses(String model, GateEvent event, long[] versions) {
        E decoded;
        try {
            decoded =
                    topic.valueSerde()
                            .deserializer()
                            .deserialize(topic.name(), ByteBuffers.copyOf(event.getValue()));
        } catch (RuntimeException unreadable) {
            return null;
        }
        if (decoded == null || label(decoded) == null) {
            return null;
        }
        String label = label(decoded);
        X input = input(decoded);
        double[] losses = new double[versions.length + 1];
        int labels = 0;
        for (int i = 0; i < versions.length; i++) {
            M kernel = kernels.of(model, versions[i]);
            if (kernel != null && !reads(kernel, decoded, input)) {
                kernel = null;
            }
            if (kernel != null) {
                labels = Math.max(labels, labels(kernel));
            }
            losses[i] =
                    kernel == null
                            ? Double.NaN
                            : Losses.logLoss(probabilityOf(label, kernel, input));
        }
        kernels.retain(model, Shadows.keep(versions));
        if (labels == 0 && unreadByAllIsNoEvidence()) {
            return null;
        }
        String key = model + "\u0000";
        LabelPrior prior = LabelPrior.decode(priors.get(key));
        losses[versions.length] = Losses.logLoss(prior.probability(label, labels));
        prior.learn(label);
        priors.put(key, prior.encode());
        return losses;
    }
}
