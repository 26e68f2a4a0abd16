package dev.streamlearn.models.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.HeldWeights;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the registry admits delta versions: on the full weights of the newest it holds, or not. */
class RegistryDeltaTest {
    private static final Instant T0 = Instant.parse("2026-12-05T04:00:00Z");
    private static final ModelSpec TEXT =
            TextClassifierSpec.defaults()
                    .with(TextClassifierSpec.VOCAB_SIZE, 256)
                    .with(TextClassifierSpec.EMBEDDING_SIZE, 4);

    /** Weights of version {@code n}: embedding row n moved, so each differs from the one before. */
    private static ModelWeights weights(long n) {
        float[] params = new float[ParameterLayout.of(TEXT).size()];
        for (int row = 1; row <= n; row++) {
            params[row * 4] = row;
        }
        return new ModelWeights(TEXT, params);
    }

    private static Provenance provenance(long n) {
        return new Provenance("text", n, n - 1, n, Map.of(), List.of(), T0);
    }

    private static ModelVersion full(long n) {
        return VersionContract.build(weights(n), provenance(n));
    }

    private static ModelVersion delta(long n) {
        ModelWeights parent = weights(n - 1);
        return VersionContract.buildDelta(
                weights(n),
                provenance(n),
                new HeldWeights(n - 1, parent, WeightsCodec.sha256Hex(parent.params())),
                null);
    }

    private static RegistryState admitted(RegistryState state, ModelVersion version) {
        RegistryState.Admission admission = state.admit(version);
        assertThat(admission).isInstanceOf(RegistryState.Admitted.class);
        return ((RegistryState.Admitted) admission).state();
    }

    @Test
    void aDeltaOfTheNewestHeldVersionIsAppliedAndServesItsFullWeights() {
        RegistryState state =
                admitted(
                        RegistryState.empty(5, VersionTrust.unsignedOnly(), ServingPolicy.FOLLOW),
                        full(1));

        RegistryState.Admitted second = (RegistryState.Admitted) state.admit(delta(2));
        RegistryState after = admitted(second.state(), delta(3));

        assertThat(second.version().weights()).isEqualTo(weights(2));
        assertThat(after.parent("text").orElseThrow().weights()).isEqualTo(weights(3));
        assertThat(after.serving("text")).hasValue(3);
        assertThat(after.model("text").orElseThrow().heldVersions()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aDeltaWhoseParentIsNotHeldIsRefusedWithTheReasonAndTheNextFullVersionIsAccepted() {
        RegistryState state =
                admitted(RegistryState.empty(5, VersionTrust.unsignedOnly()), full(1));

        // version 2 never arrived (lost, or refused): 3 is a delta of it
        RegistryState.Admission orphan = state.admit(delta(3));
        RegistryState.Admission fromEmpty =
                RegistryState.empty(5, VersionTrust.unsignedOnly()).admit(delta(2));
        RegistryState later = admitted(state, full(4));

        assertThat(orphan)
                .isEqualTo(
                        new RegistryState.Refused(
                                "text version 3 is a delta of version 2, whose full weights this"
                                        + " reader does not hold (it holds version 1); refused"
                                        + " until a version with full weights arrives"));
        assertThat(fromEmpty)
                .isInstanceOfSatisfying(
                        RegistryState.Refused.class,
                        r -> assertThat(r.reason()).contains("it holds none of this model"));
        assertThat(state.latest("text")).hasValue(1);
        assertThat(later.latest("text")).hasValue(4);
        assertThat(later.parent("text").orElseThrow().weights()).isEqualTo(weights(4));
        assertThat(later.admit(delta(5))).isInstanceOf(RegistryState.Admitted.class);
    }

    @Test
    void aTrainerNumberedBelowAForeignVersionIsFollowedAndServesAgainOnceAbove() {
        // Given version 1 of the trainer, then someone else's full version 3
        RegistryState state =
                admitted(
                        RegistryState.empty(5, VersionTrust.unsignedOnly(), ServingPolicy.FOLLOW),
                        full(1));
        float[] foreign = new float[ParameterLayout.of(TEXT).size()];
        foreign[7] = 42;
        state =
                admitted(
                        state,
                        VersionContract.build(new ModelWeights(TEXT, foreign), provenance(3)));

        // When the trainer goes on with its deltas 2, 3 (refused: not above 3) and 4
        for (long n = 2; n <= 3; n++) {
            RegistryState.Admission low = state.admit(delta(n));
            assertThat(low)
                    .isInstanceOfSatisfying(
                            RegistryState.Refused.class,
                            r -> {
                                assertThat(r.reason()).contains("is not above");
                                assertThat(r.followed()).isNotNull();
                            });
            state = ((RegistryState.Refused) low).followed();
        }
        RegistryState.Admission four = state.admit(delta(4));

        // Then version 4 is rebuilt on the trainer's own 3 and serves
        assertThat(four).isInstanceOf(RegistryState.Admitted.class);
        assertThat(((RegistryState.Admitted) four).version().weights()).isEqualTo(weights(4));
        assertThat(state.serving("text")).hasValue(3);
        assertThat(((RegistryState.Admitted) four).state().serving("text")).hasValue(4);
    }

    @Test
    void controlsAndDecisionsKeepTheHeldParent() {
        RegistryState state =
                admitted(RegistryState.empty(5, VersionTrust.unsignedOnly()), full(1));

        RegistryState pinned =
                state.control(new ModelControl("text", ControlMode.PIN, 1L, "test", T0));

        assertThat(pinned.admit(delta(2))).isInstanceOf(RegistryState.Admitted.class);
    }
}
