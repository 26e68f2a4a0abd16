package dev.streamlearn.scorer.scoring;

import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.models.gate.GateOptions;
import dev.streamlearn.models.pipeline.DeclaredModel;
import dev.streamlearn.models.pipeline.Pipeline;
import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.version.VersionTrust;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the scorer serves and how much it holds.
 *
 * @param served the models to serve, each scoring its input topic: a pipeline file's, or by default
 *     one per family on the family's topic (README, "Pipelines")
 * @param versionsKept how many accepted versions per model the registry keeps (pin and roll back
 *     reach only these)
 * @param pendingLimit how many events per task wait for a first model before further ones go to
 *     dead-letters
 * @param topTokens how many explaining tokens a text score carries
 * @param drainInterval how often waiting events are retried once a model may exist
 * @param trust whose versions may serve: the trainers' public keys, and whether unsigned versions
 *     may; {@link #defaults()} serves unsigned ones as every scorer did before signing, and the
 *     {@code score} and {@code local} commands always set it (README, "Model signing")
 * @param defaultPolicy how a model no {@code model-control} record names is served: {@link
 *     ServingPolicy#GATED} (the default) or {@link ServingPolicy#FOLLOW}; the dashboard and {@code
 *     models} assume {@link RegistryState#DEFAULT_POLICY}, so only tests change it
 * @param gate how the promotion gate decides a candidate
 * @param rollback how the gate watches the serving version against the one promoted before it
 */
public record ScorerOptions(
        Pipeline served,
        int versionsKept,
        int pendingLimit,
        int topTokens,
        Duration drainInterval,
        VersionTrust trust,
        ServingPolicy defaultPolicy,
        GateOptions gate,
        GateOptions rollback) {

    /** Rollback looks at 100, 200 and 400 events, then starts again on the events after them. */
    public static final GateOptions DEFAULT_ROLLBACK =
            new GateOptions(100, 400, GateOptions.DEFAULT_MARGIN, GateOptions.DEFAULT_CONFIDENCE);

    /** Options with the gate's defaults, serving one model per family under these names. */
    public ScorerOptions(
            String textModel,
            String seriesModel,
            int versionsKept,
            int pendingLimit,
            int topTokens,
            Duration drainInterval,
            VersionTrust trust) {
        this(
                named(textModel, seriesModel),
                versionsKept,
                pendingLimit,
                topTokens,
                drainInterval,
                trust,
                RegistryState.DEFAULT_POLICY,
                GateOptions.defaults(),
                DEFAULT_ROLLBACK);
    }

    public static final String DEFAULT_TEXT_MODEL = "text-classifier";
    public static final String DEFAULT_SERIES_MODEL = "lstm-forecaster";

    public ScorerOptions {
        require(served != null, "the models to serve must be given");
        require(versionsKept >= 1, "versionsKept must be >= 1, was " + versionsKept);
        require(pendingLimit >= 0, "pendingLimit must be >= 0, was " + pendingLimit);
        require(topTokens >= 0, "topTokens must be >= 0, was " + topTokens);
        require(
                !drainInterval.isNegative() && !drainInterval.isZero(),
                "drainInterval must be positive, was " + drainInterval);
        require(trust != null, "trust must be given");
        require(
                defaultPolicy != ServingPolicy.PIN,
                "defaultPolicy must be GATED or FOLLOW, was " + defaultPolicy);
        require(gate != null && rollback != null, "gate and rollback options must be given");
    }

    public static ScorerOptions defaults() {
        return new ScorerOptions(
                DEFAULT_TEXT_MODEL,
                DEFAULT_SERIES_MODEL,
                RegistryState.DEFAULT_VERSIONS_KEPT,
                10_000,
                5,
                Duration.ofMillis(500),
                VersionTrust.unsignedOnly());
    }

    /** These options serving {@code pipeline}'s models, each on its input topic. */
    public ScorerOptions withServed(Pipeline pipeline) {
        return new ScorerOptions(
                pipeline,
                versionsKept,
                pendingLimit,
                topTokens,
                drainInterval,
                trust,
                defaultPolicy,
                gate,
                rollback);
    }

    public ScorerOptions withVersionsKept(int k) {
        return new ScorerOptions(
                served,
                k,
                pendingLimit,
                topTokens,
                drainInterval,
                trust,
                defaultPolicy,
                gate,
                rollback);
    }

    public ScorerOptions withPendingLimit(int limit) {
        return new ScorerOptions(
                served,
                versionsKept,
                limit,
                topTokens,
                drainInterval,
                trust,
                defaultPolicy,
                gate,
                rollback);
    }

    public ScorerOptions withTrust(VersionTrust trust) {
        return new ScorerOptions(
                served,
                versionsKept,
                pendingLimit,
                topTokens,
                drainInterval,
                trust,
                defaultPolicy,
                gate,
                rollback);
    }

    public ScorerOptions withDefaultPolicy(ServingPolicy policy) {
        return new ScorerOptions(
                served,
                versionsKept,
                pendingLimit,
                topTokens,
                drainInterval,
                trust,
                policy,
                gate,
                rollback);
    }

    public ScorerOptions withGate(GateOptions gate, GateOptions rollback) {
        return new ScorerOptions(
                served,
                versionsKept,
                pendingLimit,
                topTokens,
                drainInterval,
                trust,
                defaultPolicy,
                gate,
                rollback);
    }

    /** An empty registry with these options' versions kept, trust and default policy. */
    public RegistryState emptyRegistry() {
        return RegistryState.empty(versionsKept, trust, defaultPolicy);
    }

    private static Pipeline named(String textModel, String seriesModel) {
        return new Pipeline(
                List.of(
                        onFamilyTopic(textModel, TextClassifierFamily.INSTANCE),
                        onFamilyTopic(seriesModel, LstmForecasterFamily.INSTANCE)));
    }

    private static DeclaredModel onFamilyTopic(String name, ModelFamily family) {
        return new DeclaredModel(
                name,
                family,
                family.inputTopic().name(),
                Map.of(),
                DeclaredModel.PublishPolicy.JOB_DEFAULTS);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
