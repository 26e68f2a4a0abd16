package dev.streamlearn.models.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.ModelEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gate's decisions as a harness drives them, with losses chosen per event (the scorer's {@code
 * PromotionGateTopologyTest} drives the same gate with real kernels).
 */
class PromotionGateTest {
    private static final Instant AT = Instant.parse("2026-12-05T02:00:00Z");

    private static final int FIRST_LOOK = GateOptions.DEFAULT_MIN_EVENTS;

    private RegistryState registry = RegistryState.empty(5, VersionTrust.unsignedOnly());
    private final PromotionGate gate =
            new PromotionGate(
                    "m",
                    GateOptions.defaults(),
                    new GateOptions(100, 400, 0.05, 0.99),
                    "persistence");
    private final List<ModelEvent> decisions = new ArrayList<>();

    private void publish(long number) {
        ModelSpec spec = LstmForecasterSpec.defaults().with(LstmForecasterSpec.HIDDEN_SIZE, 1);
        float[] params = new float[ParameterLayout.of(spec).size()];
        params[0] = number;
        Provenance provenance =
                new Provenance("m", number, number - 1, number, Map.of(), List.of(), AT);
        registry =
                ((RegistryState.Admitted)
                                registry.admit(
                                        VersionContract.build(
                                                new ModelWeights(spec, params), provenance)))
                        .state();
    }

    /** One event: the losses of the versions the gate names, by version; no baseline. */
    private void event(Map<Long, Double> lossOf) {
        event(lossOf, Double.NaN);
    }

    /** One event: the losses of the versions the gate names, by version, and the baseline's. */
    private void event(Map<Long, Double> lossOf, double baselineLoss) {
        record(gate.observe(registry.model("m").orElseThrow(), AT));
        long[] versions = gate.toScore();
        double[] losses = new double[versions.length];
        for (int i = 0; i < versions.length; i++) {
            losses[i] = lossOf.getOrDefault(versions[i], Double.NaN);
        }
        record(gate.add(losses, baselineLoss, AT));
    }

    private void record(List<ModelEvent> made) {
        for (ModelEvent d : made) {
            decisions.add(d);
            registry = registry.decide(d);
        }
    }

    @Test
    void aNewerVersionSupersedesACandidateItsFirstLookLeftUndecided() {
        publish(1);
        publish(2);
        // Version 2 worse than 1 by exactly the margin, with noise: its first look decides
        // nothing.
        for (int i = 0; i < 100; i++) {
            event(Map.of(1L, 1.0, 2L, 1.05 + (i % 2 == 0 ? 0.5 : -0.5)));
        }
        assertThat(decisions).extracting(ModelEvent::getVersion).containsExactly(1L);

        publish(3);
        event(Map.of(1L, 1.0, 3L, 1.0));

        ModelEvent superseded = decisions.get(1);
        assertThat(superseded.getDecision()).isEqualTo(GateDecision.SUPERSEDED);
        assertThat(superseded.getVersion()).isEqualTo(2);
        assertThat(superseded.getEvents()).isEqualTo(100);
        assertThat(superseded.getReason())
                .isEqualTo("superseded by version 3, undecided after 100 events");
        assertThat(gate.state().candidate()).isEqualTo(3);
        assertThat(registry.serving("m")).hasValue(1);
    }

    @Test
    void aNewerVersionBeforeTheFirstLookWaitsAndIsTheNextCandidate() {
        publish(1);
        publish(2);
        for (int i = 0; i < FIRST_LOOK / 2; i++) {
            event(Map.of(1L, 1.0, 2L, 0.9));
        }
        publish(3);
        for (int i = 0; i < FIRST_LOOK / 2; i++) {
            event(Map.of(1L, 1.0, 2L, 0.9, 3L, 0.8));
        }

        assertThat(decisions)
                .extracting(ModelEvent::getVersion, ModelEvent::getDecision)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, GateDecision.PROMOTED),
                        org.assertj.core.groups.Tuple.tuple(2L, GateDecision.PROMOTED));
        event(Map.of(2L, 0.9, 3L, 0.8, 1L, 1.0));
        assertThat(gate.state().candidate()).isEqualTo(3);
        assertThat(gate.state().promoted()).isEqualTo(2);
        assertThat(gate.state().previous()).isEqualTo(1);
    }

    @Test
    void theServingVersionWorseThanTheOneBeforeIsRolledBackWithinTheRollbackWindow() {
        publish(1);
        publish(2);
        for (int i = 0; i < FIRST_LOOK; i++) {
            event(Map.of(1L, 1.0, 2L, 0.9));
        }
        assertThat(registry.serving("m")).hasValue(2);

        int n = 0;
        while (registry.serving("m").getAsLong() == 2 && n < 1_000) {
            event(Map.of(1L, 1.0, 2L, 1.5 + (n % 3) * 0.1));
            n++;
        }

        ModelEvent rollback = decisions.get(decisions.size() - 1);
        assertThat(rollback.getDecision()).isEqualTo(GateDecision.ROLLED_BACK);
        assertThat(rollback.getVersion()).isEqualTo(1);
        assertThat(rollback.getAgainst()).isEqualTo(2);
        assertThat(n).isEqualTo(100);
        assertThat(registry.serving("m")).hasValue(1);
        assertThat(registry.model("m").orElseThrow().rejected()).containsExactly(2L);
    }

    @Test
    void aCandidateWithinTwoPercentOfTheBaselinesLossIsPromotedAtTheFirstLook() {
        // Given a serving version far better than the baseline (0.05 against 0.7 per event) and a
        // candidate 20% worse than it: 0.01 per event, 1.4% of the baseline's loss
        publish(1);
        publish(2);
        for (int i = 0; i < FIRST_LOOK; i++) {
            event(Map.of(1L, 0.05 + (i % 2) * 0.02, 2L, 0.06 + (i % 2) * 0.02), 0.7);
        }

        // Then it is promoted at the first look, the evidence naming the baseline
        ModelEvent promoted = decisions.get(decisions.size() - 1);
        assertThat(promoted.getDecision()).isEqualTo(GateDecision.PROMOTED);
        assertThat(promoted.getVersion()).isEqualTo(2);
        assertThat(promoted.getEvents()).isEqualTo(FIRST_LOOK);
        assertThat(promoted.getMargin()).isCloseTo(0.02 * 0.7, within(1e-9));
        assertThat(promoted.getBaseline()).isEqualTo("persistence");
        assertThat(promoted.getBaselineLoss()).isCloseTo(0.7, within(1e-9));
        assertThat(promoted.getReason())
                .isEqualTo(
                        "not worse than version 1 by more than 5.00% (at least 2.00% of the"
                                + " persistence baseline's loss) at 99.0% confidence");
    }

    @Test
    void withoutTheBaselineTheSameCandidateIsRejectedAsWorse() {
        publish(1);
        publish(2);
        for (int i = 0; i < FIRST_LOOK; i++) {
            event(Map.of(1L, 0.05 + (i % 2) * 0.02, 2L, 0.06 + (i % 2) * 0.02));
        }

        ModelEvent rejected = decisions.get(decisions.size() - 1);
        assertThat(rejected.getDecision()).isEqualTo(GateDecision.REJECTED);
        assertThat(rejected.getAgainst()).isEqualTo(1);
        assertThat(rejected.getBaseline()).isNull();
    }

    @Test
    void aCandidateWorseThanTheBaselineIsRejectedWithThatEvidence() {
        // Given a serving version that trails persistence, and a candidate no better than it
        publish(1);
        publish(2);
        for (int i = 0; i < FIRST_LOOK; i++) {
            double noise = (i % 2) * 0.4;
            event(Map.of(1L, 1.3 + noise, 2L, 1.31 + noise), 1.0 + noise / 2);
        }

        // Then the candidate is rejected against the baseline, with the baseline's evidence
        ModelEvent rejected = decisions.get(decisions.size() - 1);
        assertThat(rejected.getDecision()).isEqualTo(GateDecision.REJECTED);
        assertThat(rejected.getVersion()).isEqualTo(2);
        assertThat(rejected.getAgainst()).isZero();
        assertThat(rejected.getEvents()).isEqualTo(FIRST_LOOK);
        assertThat(rejected.getBaseline()).isEqualTo("persistence");
        assertThat(rejected.getBaselineLoss()).isCloseTo(1.1, within(1e-9));
        assertThat(rejected.getAgainstLoss()).isEqualTo(rejected.getBaselineLoss());
        assertThat(rejected.getCandidateLoss()).isCloseTo(1.51, within(1e-9));
        assertThat(rejected.getMargin()).isZero();
        assertThat(rejected.getDifferenceBound()).isGreaterThan(0);
        assertThat(rejected.getReason())
                .isEqualTo(
                        "worse than the persistence baseline at 99.0% confidence, and not better"
                                + " than version 1");
        assertThat(registry.serving("m")).hasValue(1);
        assertThat(registry.model("m").orElseThrow().rejected()).containsExactly(2L);
    }

    @Test
    void aCandidateBetterThanTheServingVersionIsPromotedEvenIfTheBaselineIsBetterStill() {
        // Given a young forecaster behind persistence, and a candidate clearly better than it
        // though still behind persistence
        publish(1);
        publish(2);
        for (int i = 0; i < FIRST_LOOK; i++) {
            double noise = (i % 2) * 0.4;
            event(Map.of(1L, 1.6 + noise, 2L, 1.3 + noise), 1.0 + noise / 2);
        }

        // Then it is promoted: what serves gets better
        ModelEvent promoted = decisions.get(decisions.size() - 1);
        assertThat(promoted.getDecision()).isEqualTo(GateDecision.PROMOTED);
        assertThat(promoted.getVersion()).isEqualTo(2);
        assertThat(promoted.getAgainst()).isEqualTo(1);
        assertThat(registry.serving("m")).hasValue(2);
    }

    @Test
    void aSabotagedCandidateIsRejectedAgainstTheServingVersionAtTheFirstLook() {
        publish(1);
        publish(2);
        for (int i = 0; i < FIRST_LOOK; i++) {
            event(Map.of(1L, 0.05 + (i % 3) * 0.01, 2L, 4.0 + (i % 3) * 0.5), 0.6);
        }

        ModelEvent rejected = decisions.get(decisions.size() - 1);
        assertThat(rejected.getDecision()).isEqualTo(GateDecision.REJECTED);
        assertThat(rejected.getAgainst()).isEqualTo(1);
        assertThat(rejected.getEvents()).isEqualTo(FIRST_LOOK);
        assertThat(rejected.getReason()).startsWith("worse than version 1");
        assertThat(registry.serving("m")).hasValue(1);
    }

    @Test
    void itsStateCarriesTheComparisonWithTheBaseline() {
        publish(1);
        publish(2);
        for (int i = 0; i < FIRST_LOOK - 1; i++) {
            event(Map.of(1L, 1.3, 2L, 1.31 + (i % 2) * 0.1), 1.0);
        }
        PromotionGate restored =
                PromotionGate.restore(
                        "m",
                        GateOptions.defaults(),
                        new GateOptions(100, 400, 0.05, 0.99),
                        "persistence",
                        gate.state());

        assertThat(restored.state()).isEqualTo(gate.state());
        assertThat(restored.state().versusBaseline().n()).isEqualTo(FIRST_LOOK - 1);
        List<ModelEvent> fromRestored = restored.add(new double[] {1.3, 1.31, Double.NaN}, 1.0, AT);
        assertThat(fromRestored)
                .isNotEmpty()
                .isEqualTo(gate.add(new double[] {1.3, 1.31, Double.NaN}, 1.0, AT));
    }

    /**
     * Version v's loss on event i: its quality {@code quality[v]}, the event's difficulty (shared
     * by every version, as paired events are) and a little noise of its own.
     */
    private static Map<Long, Double> losses(int i, double... quality) {
        Map<Long, Double> lossOf = new java.util.HashMap<>();
        double difficulty = 0.3 * Math.sin(i);
        for (int v = 1; v < quality.length; v++) {
            lossOf.put((long) v, quality[v] + difficulty + 0.002 * Math.cos(1.7 * i * v));
        }
        return lossOf;
    }

    @Test
    void aChainOfSlightlyWorseCandidatesIsStoppedAMarginBelowTheBestRecentlyPromoted() {
        // Given version 2, better than version 1, serving; then versions each 2% worse than the
        // last, every one within the 5% margin of the version serving when it arrives
        double[] quality = {0, 1.05, 1.0, 1.02, 1.0404, 1.0612};
        publish(1);
        publish(2);
        for (int i = 0; i < FIRST_LOOK; i++) {
            event(losses(i, quality));
        }
        assertThat(registry.serving("m")).hasValue(2);

        // When versions 3, 4 and 5 arrive one after another
        for (long v = 3; v <= 5; v++) {
            publish(v);
            for (int i = 0; i < FIRST_LOOK; i++) {
                event(losses(i, quality));
            }
        }

        // Then 3 and 4 are promoted (within 5% of both the serving version and version 2), and
        // version 2, the best, stays in shadow: 4's promotion names it as against
        List<ModelEvent> promoted =
                decisions.stream().filter(d -> d.getDecision() == GateDecision.PROMOTED).toList();
        assertThat(promoted).extracting(ModelEvent::getVersion).containsExactly(1L, 2L, 3L, 4L);
        assertThat(promoted.get(3).getAgainst()).isEqualTo(2);
        assertThat(promoted.get(3).getReason()).contains("version 2 did better than 3");
        // And 5, within the margin of version 4 that serves, is 6% worse than version 2 and is
        // rejected against it at its first look: the chain stops a margin below the best
        ModelEvent last = decisions.get(decisions.size() - 1);
        assertThat(last.getDecision()).isEqualTo(GateDecision.REJECTED);
        assertThat(last.getVersion()).isEqualTo(5);
        assertThat(last.getAgainst()).isEqualTo(2);
        assertThat(last.getEvents()).isEqualTo(FIRST_LOOK);
        assertThat(last.getReason()).contains("the best recently promoted");
        assertThat(registry.serving("m")).hasValue(4);
        assertThat(registry.model("m").orElseThrow().previous()).hasValue(2);
        assertThat(gate.state().previous()).isEqualTo(2);
    }

    @Test
    void aCandidateFarBelowTheBestRecentlyPromotedIsRejectedThoughCloseToTheServingOne() {
        // Given version 3 serving, 4.5% worse than version 2 which stays in shadow
        double[] quality = {0, 1.1, 1.0, 1.045, 1.09};
        publish(1);
        publish(2);
        for (int i = 0; i < FIRST_LOOK; i++) {
            event(losses(i, quality));
        }
        publish(3);
        for (int i = 0; i < FIRST_LOOK; i++) {
            event(losses(i, quality));
        }
        assertThat(registry.serving("m")).hasValue(3);
        assertThat(gate.state().previous()).isEqualTo(2);

        // When version 4 arrives, 4.3% worse than 3 but 9% worse than 2
        publish(4);
        for (int i = 0; i < FIRST_LOOK; i++) {
            event(losses(i, quality));
        }

        // Then it is rejected against version 2 and never serves
        ModelEvent last = decisions.get(decisions.size() - 1);
        assertThat(last.getDecision()).isEqualTo(GateDecision.REJECTED);
        assertThat(last.getVersion()).isEqualTo(4);
        assertThat(last.getAgainst()).isEqualTo(2);
        assertThat(registry.serving("m")).hasValue(3);
    }
}
