package dev.streamlearn.models.spec;

import dev.streamlearn.schemas.Topic;
import java.util.List;
import java.util.Map;

/**
 * A model family as training and serving both know it, without DL4J: its name, its hyper-parameters
 * with their defaults, where each parameter lives in its flat weights, and the topic its examples
 * arrive on. The trainer and the scorer extend the seam with what only they need (the DL4J network
 * and learner; the scoring processor); {@code docs/ARCHITECTURE.md}, "Adding a model family", lists
 * every file a new family brings.
 *
 * <p>Implementations are singletons (an enum constant), so specs compare families by identity and
 * travel inside Flink job graphs; every family is listed once, in {@code models.ModelFamilies}.
 */
public interface ModelFamily {
    /** The family's name, e.g. {@code lstm-forecaster}: {@code ModelVersion.kind} and the CLI's. */
    String id();

    /** Every hyper-parameter of this family, in declaration order. */
    List<Param<?>> params();

    /**
     * Where each parameter array of a model of {@code spec} lives in its flat weights: the order
     * the trainer exports in and the scoring kernel reads in.
     */
    ParameterLayout layout(ModelSpec spec);

    /** The topic this family's examples and scoring inputs arrive on. */
    Topic<String, ?> inputTopic();

    /**
     * The spec a model configured as {@code configured} continues under when it starts from the
     * weights of a published version of spec {@code published} (a restarted trainer without saved
     * state). By default the configured one; a family whose spec grows while it learns keeps what
     * it grew (the text classifier's labels).
     */
    default ModelSpec continuing(ModelSpec configured, ModelSpec published) {
        return configured;
    }

    /**
     * The spec of weights as stored by any build, before it is read: a family whose later build
     * added a hyper-parameter whose default would change what older weights mean names the older
     * meaning here. By default the stored spec as it is (absent names take their defaults).
     */
    default Map<String, String> storedSpec(Map<String, String> stored) {
        return stored;
    }
}
