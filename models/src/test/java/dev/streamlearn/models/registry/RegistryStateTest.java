package dev.streamlearn.models.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.PublicKeyId;
import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RegistryStateTest {
    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    private static ModelVersion version(String model, long number) {
        ModelSpec spec = LstmForecasterSpec.defaults().with(LstmForecasterSpec.HIDDEN_SIZE, 1);
        float[] params = new float[ParameterLayout.of(spec).size()];
        params[0] = number;
        return VersionContract.build(
                new ModelWeights(spec, params),
                new Provenance(model, number, number - 1, number, Map.of(), List.of(), T0));
    }

    private static RegistryState admitAll(RegistryState state, ModelVersion... versions) {
        for (ModelVersion v : versions) {
            state = ((RegistryState.Admitted) state.admit(v)).state();
        }
        return state;
    }

    private static ModelControl pin(String model, Long version) {
        return new ModelControl(model, ControlMode.PIN, version, "test", T0);
    }

    @Test
    void admitsRisingNumbersAndUnderFollowServesTheLatest() {
        RegistryState state =
                admitAll(
                        RegistryState.empty(5, VersionTrust.unsignedOnly(), ServingPolicy.FOLLOW),
                        version("m", 1),
                        version("m", 4));

        assertThat(state.serving("m")).hasValue(4);
        assertThat(state.model("m").orElseThrow().heldVersions()).containsExactly(1L, 4L);
        assertThat(state.model("m").orElseThrow().kind()).isEqualTo("lstm-forecaster");
    }

    @Test
    void refusesANumberNotAboveTheHighestAcceptedAndChangesNothing() {
        RegistryState state =
                admitAll(RegistryState.empty(5, VersionTrust.unsignedOnly()), version("m", 3));

        RegistryState.Admission again = state.admit(version("m", 3));

        assertThat(again)
                .isEqualTo(
                        new RegistryState.Refused(
                                "m version 3 is not above the highest accepted version 3"
                                        + " (versions only go up)"));
        assertThat(state.admit(version("other", 1))).isInstanceOf(RegistryState.Admitted.class);
    }

    @Test
    void refusesAVersionThatDoesNotVerify() {
        ModelVersion tampered = version("m", 1);
        tampered.setWeightsSha256("f".repeat(64));

        assertThat(RegistryState.empty(5, VersionTrust.unsignedOnly()).admit(tampered))
                .isInstanceOfSatisfying(
                        RegistryState.Refused.class,
                        r -> assertThat(r.reason()).contains("announces weightsSha256"));
    }

    @Test
    void refusesAVersionItsTrustDoesNotCoverAndSaysItWasForTrust() {
        SigningKey trainer = SigningKey.generate();
        RegistryState state =
                RegistryState.empty(5, VersionTrust.signedBy(PublicKeyId.of(trainer.publicKey())));

        assertThat(state.admit(version("m", 1)))
                .isInstanceOfSatisfying(
                        RegistryState.Refused.class,
                        r -> {
                            assertThat(r.untrusted()).isTrue();
                            assertThat(r.reason()).contains("m version 1 is unsigned");
                        });
        ModelVersion signed =
                VersionContract.build(
                        new ModelWeights(
                                LstmForecasterSpec.defaults()
                                        .with(LstmForecasterSpec.HIDDEN_SIZE, 1),
                                new float
                                        [ParameterLayout.of(
                                                        LstmForecasterSpec.defaults()
                                                                .with(
                                                                        LstmForecasterSpec
                                                                                .HIDDEN_SIZE,
                                                                        1))
                                                .size()]),
                        new Provenance("m", 1, 0, 1, Map.of(), List.of(), T0),
                        trainer);
        assertThat(state.admit(signed)).isInstanceOf(RegistryState.Admitted.class);
    }

    @Test
    void keepsTheLastKAndSaysWhichItDropped() {
        RegistryState state =
                admitAll(
                        RegistryState.empty(2, VersionTrust.unsignedOnly()),
                        version("m", 1),
                        version("m", 2));

        RegistryState.Admitted third = (RegistryState.Admitted) state.admit(version("m", 3));

        assertThat(third.evicted()).containsExactly(1L);
        assertThat(third.state().model("m").orElseThrow().heldVersions()).containsExactly(2L, 3L);
        assertThat(third.version().weights().params()[0]).isEqualTo(3f);
    }

    @Test
    void aHeldPinServesAndFollowReturnsToTheLatest() {
        RegistryState state =
                admitAll(
                                RegistryState.empty(5, VersionTrust.unsignedOnly()),
                                version("m", 1),
                                version("m", 2))
                        .control(pin("m", 1L));

        assertThat(state.serving("m")).hasValue(1);
        assertThat(admitAll(state, version("m", 3)).serving("m")).as("still pinned").hasValue(1);

        RegistryState followed =
                state.control(new ModelControl("m", ControlMode.FOLLOW_LATEST, null, "t", T0));
        assertThat(followed.serving("m")).hasValue(2);
        assertThat(followed.model("m").orElseThrow().pinned()).isEmpty();
    }

    @Test
    void aPinOnAVersionNoLongerHeldFallsBackToTheLatest() {
        RegistryState state =
                admitAll(
                                RegistryState.empty(2, VersionTrust.unsignedOnly()),
                                version("m", 1),
                                version("m", 2),
                                version("m", 3))
                        .control(pin("m", 1L));

        assertThat(state.model("m").orElseThrow().pinned()).isEqualTo(OptionalLong.of(1));
        assertThat(state.serving("m")).hasValue(3);
    }

    @Test
    void aPinBelowOneIsRefusedNamingIt() {
        assertThatThrownBy(
                        () ->
                                RegistryState.empty(5, VersionTrust.unsignedOnly())
                                        .control(pin("m", 0L)))
                .hasMessage("model-control for m pins version 0, expected a version >= 1");
        assertThatThrownBy(
                        () ->
                                RegistryState.empty(5, VersionTrust.unsignedOnly())
                                        .control(pin("m", null)))
                .hasMessageContaining("pins version null");
    }

    @Test
    void aPinBeforeAnyVersionServesNothingUntilOneArrives() {
        RegistryState state =
                RegistryState.empty(5, VersionTrust.unsignedOnly()).control(pin("m", 2L));

        assertThat(state.serving("m")).isEmpty();
        assertThat(admitAll(state, version("m", 1)).serving("m")).hasValue(1);
        assertThat(admitAll(state, version("m", 1), version("m", 2)).serving("m")).hasValue(2);
    }
}
