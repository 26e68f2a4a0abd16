package dev.streamlearn.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.scorer.ModelVersions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard decides "serving" and "held" by the scorer's rules, not by its own. */
class ModelBoardTest {
    private final ModelBoard board =
            new ModelBoard("text-classifier", 2, VersionTrust.unsignedOnly());

    @Test
    void servesThePinWhileTheRegistryHoldsItAndTheLatestOnceItFallsOut() {
        board.version(ModelVersions.text(1));
        board.version(ModelVersions.text(2));
        board.control(pin(1));
        assertThat(board.serving()).isEqualTo(1);
        assertThat(board.pinned()).isTrue();

        board.version(ModelVersions.text(3)); // keeps the last 2: v1 is gone

        assertThat(board.heldVersions()).containsExactly(2L, 3L);
        assertThat(board.serving()).isEqualTo(3);
        assertThat(board.json().get("pinHeld").asBoolean()).isFalse();
    }

    @Test
    void versionsTheScorerWouldRefuseAreCountedNotShown() {
        board.version(ModelVersions.text(2));
        board.version(ModelVersions.corrupted(ModelVersions.text(3)));
        board.version(ModelVersions.text(1)); // not newer

        assertThat(board.latest()).isEqualTo(2);
        assertThat(board.rejectedVersions()).isEqualTo(2);
        assertThat(board.json().get("versions").size()).isEqualTo(1);
    }

    @Test
    void followsTheTrainersDeltasBelowAForeignVersionAndShowsThemOnceAbove() {
        board.version(ModelVersions.text(1));
        board.version(foreign(3));

        board.version(ModelVersions.textDelta(2)); // refused: not above 3
        board.version(ModelVersions.textDelta(3)); // refused: not above 3
        board.version(ModelVersions.textDelta(4)); // made on the trainer's own 3

        assertThat(board.latest()).isEqualTo(4);
        assertThat(board.rejectedVersions()).isEqualTo(2);
    }

    /** A full version {@code n} published by someone other than the trainer: all-zero weights. */
    private static ModelVersion foreign(long n) {
        ModelSpec spec = ModelVersions.TEXT_SPEC;
        return VersionContract.build(
                new ModelWeights(spec, new float[ParameterLayout.of(spec).size()]),
                new Provenance(
                        "text-classifier",
                        n,
                        n - 1,
                        0,
                        Map.of(),
                        List.of(),
                        Instant.parse("2026-12-05T05:00:00Z")));
    }

    @Test
    void versionsRefusedForTheirSignatureAreCountedApartWithTheLastReason() {
        SigningKey trainer = SigningKey.generate();
        ModelBoard trusting =
                new ModelBoard("text-classifier", 2, VersionTrust.signedBy(trainer.publicKeyId()));
        ModelVersion tampered = ModelVersions.text(3, trainer);
        tampered.setCodeVersion("someone else's");

        trusting.version(ModelVersions.text(2, trainer));
        trusting.version(ModelVersions.text(4)); // unsigned
        trusting.version(tampered);

        assertThat(trusting.serving()).isEqualTo(2);
        assertThat(trusting.rejectedVersions()).isEqualTo(2);
        assertThat(trusting.untrustedVersions()).isEqualTo(2);
        assertThat(trusting.json().get("lastRefusal").asText())
                .startsWith("text-classifier version 3: its signature by key " + trainer.keyId());
    }

    @Test
    void whileGatedServesWhatTheGatePromotedAndShowsItsDecisions() {
        board.version(ModelVersions.text(1));
        board.version(ModelVersions.text(2));
        assertThat(board.serving()).as("a first version serves at once").isEqualTo(1);
        assertThat(board.candidate()).isEqualTo(2);
        assertThat(board.json().get("policy").asText()).isEqualTo("gated");

        board.decided(decision(2, GateDecision.PROMOTED, 1));
        board.version(ModelVersions.text(3));
        board.decided(decision(3, GateDecision.REJECTED, 2));

        assertThat(board.serving()).isEqualTo(2);
        assertThat(board.candidate()).isZero();
        assertThat(board.json().get("decisions"))
                .extracting(d -> d.get("decision").asText())
                .containsExactly("PROMOTED", "REJECTED");
        assertThat(board.json().get("decisions").get(1).get("reason").asText()).isEqualTo("test");
    }

    @Test
    void servesTheTrainersDriftRecordsForTheTimelineWithoutChangingWhatServes() {
        board.version(ModelVersions.text(1));
        board.decided(decision(1, GateDecision.PROMOTED, 0));
        board.version(ModelVersions.text(2));
        Instant detected = Instant.parse("2026-12-05T07:30:00Z");

        board.decided(
                ModelEvent.newBuilder()
                        .setModel("text-classifier")
                        .setVersion(2)
                        .setDecision(GateDecision.DRIFT)
                        .setEvents(40)
                        .setReason("drift: ADWIN on the trainer's live loss; action: boost")
                        .setAt(detected)
                        .build());

        assertThat(board.serving()).as("a drift decides nothing").isEqualTo(1);
        assertThat(board.candidate()).isEqualTo(2);
        var drift = board.json().get("decisions").get(1);
        assertThat(drift.get("decision").asText()).isEqualTo("DRIFT");
        assertThat(drift.get("version").asLong())
                .as("drawn at the newest version before it")
                .isEqualTo(2);
        assertThat(drift.get("at").asLong()).isEqualTo(detected.toEpochMilli());
        assertThat(drift.get("reason").asText()).endsWith("action: boost");
    }

    private static ModelEvent decision(long version, GateDecision decision, long against) {
        return ModelEvent.newBuilder()
                .setModel("text-classifier")
                .setVersion(version)
                .setDecision(decision)
                .setAgainst(against)
                .setEvents(100)
                .setCandidateLoss(0.2)
                .setAgainstLoss(0.3)
                .setReason("test")
                .setAt(Instant.now())
                .build();
    }

    private static ModelControl pin(long version) {
        return new ModelControl("text-classifier", ControlMode.PIN, version, "test", Instant.now());
    }
}
