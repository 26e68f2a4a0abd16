package dev.streamlearn.models.gate;

import static org.assertj.core.api.Assertions.assertThat;

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

    private RegistryState registry = RegistryState.empty(5, VersionTrust.unsignedOnly());
    private final PromotionGate gate =
            new PromotionGate("m", GateOptions.defaults(), new GateOptions(100, 400, 0.05, 0.99));
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

    /** One event: the losses of the versions the gate names, by version. */
    private void event(Map<Long, Double> lossOf) {
        record(gate.observe(registry.model("m").orElseThrow(), AT));
        long[] versions = gate.toScore();
        double[] losses = new double[versions.length];
        for (int i = 0; i < versions.length; i++) {
            losses[i] = lossOf.getOrDefault(versions[i], Double.NaN);
        }
        record(gate.add(losses, AT));
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
        for (int i = 0; i < 50; i++) {
            event(Map.of(1L, 1.0, 2L, 0.9));
        }
        publish(3);
        for (int i = 0; i < 50; i++) {
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
        for (int i = 0; i < 100; i++) {
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
}
