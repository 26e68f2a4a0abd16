package dev.streamlearn.models.spec;

/**
 * The {@code engine} hyper-parameter of a family the trainer can learn two ways: {@link #FAST}, its
 * plain-Java learner, or {@link #DL4J}, Deeplearning4j, the family's reference. Same network, same
 * scoring; only how the trainer learns differs. Declared once here, listed by each such family.
 */
public final class Engine {
    public static final String NAME = "engine";

    /** The trainer's plain-Java learner of the family's network. */
    public static final String FAST = "fast";

    /** The trainer's Deeplearning4j learner, the reference of the family. */
    public static final String DL4J = "dl4j";

    private Engine() {}

    /**
     * The hyper-parameter, {@link #FAST} by default.
     *
     * @param fastLearns how the fast engine learns, for the description
     */
    public static Param<String> param(String fastLearns) {
        return Param.stringParam(
                NAME,
                "How the trainer learns: '"
                        + FAST
                        + "' ("
                        + fastLearns
                        + ") or '"
                        + DL4J
                        + "' (Deeplearning4j, the reference). Same network, same scoring.",
                FAST,
                v ->
                        v.equals(FAST) || v.equals(DL4J)
                                ? null
                                : "must be '" + FAST + "' or '" + DL4J + "'");
    }

    /** Whether {@code spec} (of a family with an engine) is learned by the fast engine. */
    public static boolean isFast(ModelSpec spec) {
        return FAST.equals(spec.toMap().get(NAME));
    }
}
