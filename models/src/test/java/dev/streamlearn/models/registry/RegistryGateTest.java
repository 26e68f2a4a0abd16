package dev.streamlearn.models.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry's rules under the promotion gate (issue 17): what serves while gated. */
class RegistryGateTest {
    private static final Instant T0 = Instant.parse("2026-12-05T01:00:00Z");

    private static ModelVersion version(long number) {
        ModelSpec spec = LstmForecasterSpec.defaults().with(LstmForecasterSpec.HIDDEN_SIZE, 1);
        float[] params = new float[ParameterLayout.of(spec).size()];
        params[0] = number;
        return VersionContract.build(
                new ModelWeights(spec, params),
                new Provenance("m", number, number - 1, number, Map.of(), List.of(), T0));
    }

    private static RegistryState gated(int kept, long... numbers) {
        RegistryState state = RegistryState.empty(kept, VersionTrust.unsignedOnly());
        for (long n : numbers) {
            state = ((RegistryState.Admitted) state.admit(version(n))).state();
        }
        return state;
    }

    private static RegistryState admit(RegistryState state, long number) {
        return ((RegistryState.Admitted) state.admit(version(number))).state();
    }

    private static ModelEvent event(GateDecision decision, long version, long against) {
        return ModelEvent.newBuilder()
                .setModel("m")
                .setVersion(version)
                .setDecision(decision)
                .setAgainst(against)
                .setEvents(100)
                .setReason("test")
                .setAt(T0)
                .build();
    }

    @Test
    void gatedIsTheDefaultAndAModelsFirstVersionServesAtOnce() {
        RegistryState state = gated(5, 1);

        assertThat(state.policy("m")).isEqualTo(ServingPolicy.GATED);
        assertThat(state.serving("m")).hasValue(1);
        assertThat(state.model("m").orElseThrow().candidate()).isEmpty();
    }

    @Test
    void aNewVersionIsACandidateThatDoesNotServeUntilPromoted() {
        RegistryState state = gated(5, 1, 2);

        assertThat(state.serving("m")).hasValue(1);
        assertThat(state.model("m").orElseThrow().candidate()).hasValue(2);

        RegistryState promoted = state.decide(event(GateDecision.PROMOTED, 2, 1));
        assertThat(promoted.serving("m")).hasValue(2);
        assertThat(promoted.model("m").orElseThrow().previous()).hasValue(1);
        assertThat(promoted.model("m").orElseThrow().decisions())
                .extracting(GateRecord::decision)
                .containsExactly(GateDecision.PROMOTED);
    }

    @Test
    void aRejectedVersionNeverServesAndIsNoCandidate() {
        RegistryState state =
                gated(5, 1)
                        .decide(event(GateDecision.PROMOTED, 1, 0))
                        .decide(event(GateDecision.REJECTED, 2, 1));
        state = admit(state, 2);

        assertThat(state.serving("m")).hasValue(1);
        assertThat(state.model("m").orElseThrow().candidate()).isEmpty();
        assertThat(state.model("m").orElseThrow().rejected()).containsExactly(2L);
    }

    @Test
    void aPromotionReadBeforeItsVersionTakesEffectWhenTheVersionArrives() {
        RegistryState state =
                gated(5, 1, 2)
                        .decide(event(GateDecision.PROMOTED, 2, 1))
                        .decide(event(GateDecision.PROMOTED, 3, 2));

        assertThat(state.serving("m")).as("3 not here yet: 2 still serves").hasValue(2);
        assertThat(admit(state, 3).serving("m")).hasValue(3);
    }

    @Test
    void thePromotedVersionAndTheOneBeforeItOutliveTheLastK() {
        RegistryState state =
                gated(2, 1, 2)
                        .decide(event(GateDecision.PROMOTED, 1, 0))
                        .decide(event(GateDecision.PROMOTED, 2, 1));

        RegistryState.Admitted fourth = (RegistryState.Admitted) admit(state, 3).admit(version(4));
        RegistryState.Admitted fifth = (RegistryState.Admitted) fourth.state().admit(version(5));

        assertThat(fourth.evicted()).as("two held beyond the last K").isEmpty();
        assertThat(fifth.evicted()).containsExactly(3L);
        assertThat(fifth.state().model("m").orElseThrow().heldVersions())
                .containsExactly(1L, 2L, 4L, 5L);
        assertThat(fifth.state().serving("m")).hasValue(2);
    }

    @Test
    void aRollbackServesTheEarlierVersionAgainAndRejectsTheOneRolledBackFrom() {
        RegistryState state =
                gated(5, 1, 2)
                        .decide(event(GateDecision.PROMOTED, 1, 0))
                        .decide(event(GateDecision.PROMOTED, 2, 1))
                        .decide(event(GateDecision.ROLLED_BACK, 1, 2));

        assertThat(state.serving("m")).hasValue(1);
        assertThat(state.model("m").orElseThrow().rejected()).containsExactly(2L);
        assertThat(state.model("m").orElseThrow().previous()).isEmpty();
    }

    @Test
    void followServesTheLatestAndGatedReturnsToThePromoted() {
        RegistryState promoted = gated(5, 1, 2, 3).decide(event(GateDecision.PROMOTED, 2, 1));
        RegistryState followed =
                promoted.control(new ModelControl("m", ControlMode.FOLLOW_LATEST, null, "t", T0));

        assertThat(followed.policy("m")).isEqualTo(ServingPolicy.FOLLOW);
        assertThat(followed.serving("m")).hasValue(3);
        assertThat(followed.model("m").orElseThrow().candidate()).isEmpty();

        RegistryState gatedAgain =
                followed.control(new ModelControl("m", ControlMode.GATED, null, "t", T0));
        assertThat(gatedAgain.policy("m")).isEqualTo(ServingPolicy.GATED);
        assertThat(gatedAgain.serving("m")).hasValue(2);
    }

    @Test
    void aPinWinsOverThePromotedVersion() {
        RegistryState state =
                gated(5, 1, 2, 3)
                        .decide(event(GateDecision.PROMOTED, 3, 2))
                        .control(new ModelControl("m", ControlMode.PIN, 1L, "t", T0));

        assertThat(state.policy("m")).isEqualTo(ServingPolicy.PIN);
        assertThat(state.serving("m")).hasValue(1);
    }

    @Test
    void supersededAndDriftRecordsAreRememberedAndChangeNothingElse() {
        RegistryState state = gated(5, 1, 2, 3).decide(event(GateDecision.PROMOTED, 1, 0));
        RegistryState after =
                state.decide(event(GateDecision.SUPERSEDED, 2, 1))
                        .decide(event(GateDecision.DRIFT, 1, 0));

        assertThat(after.serving("m")).hasValue(1);
        assertThat(after.model("m").orElseThrow().candidate()).hasValue(3);
        assertThat(after.model("m").orElseThrow().decisions()).hasSize(3);
    }
}
