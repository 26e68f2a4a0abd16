package dev.streamlearn.models.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.version.InvalidVersionException.Check;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SourceOffset;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18, signed versions: what a signature covers, and who a reader trusts. */
class VersionSigningTest {
    private static final SigningKey TRAINER = SigningKey.generate();
    private static final SigningKey NEXT_TRAINER = SigningKey.generate();
    private static final SigningKey STRANGER = SigningKey.generate();
    private static final VersionTrust TRUSTS_TRAINER =
            VersionTrust.signedBy(PublicKeyId.of(TRAINER.publicKey()));

    private static final ModelWeights WEIGHTS = VersionContractTest.tinyForecaster(0.25f);

    private static ModelVersion signed(SigningKey key) {
        return VersionContract.build(WEIGHTS, VersionContractTest.provenance("m", 3), key);
    }

    /** One change per field of a version, each leaving the rest as it was. */
    private static Map<String, Consumer<ModelVersion>> everyFieldChanged() {
        Map<String, Consumer<ModelVersion>> changes = new LinkedHashMap<>();
        changes.put("model", v -> v.setModel("n"));
        changes.put("kind", v -> v.setKind("text-classifier"));
        changes.put("version", v -> v.setVersion(4L));
        changes.put("parentVersion", v -> v.setParentVersion(1L));
        changes.put("parentVersion removed", v -> v.setParentVersion(null));
        changes.put("createdAt", v -> v.setCreatedAt(v.getCreatedAt().plusMillis(1)));
        changes.put("weightsSha256", v -> v.setWeightsSha256("0".repeat(64)));
        changes.put("spec", v -> v.setSpec(Map.of("hiddenSize", "3")));
        changes.put("examplesSeen", v -> v.setExamplesSeen(v.getExamplesSeen() + 1));
        changes.put("metrics", v -> v.setMetrics(Map.of("mae", 0.25)));
        changes.put(
                "sourceOffsets", v -> v.setSourceOffsets(List.of(new SourceOffset("t", 0, 10L))));
        changes.put("codeVersion", v -> v.setCodeVersion("0.0.1+evil"));
        changes.put("codeVersion removed", v -> v.setCodeVersion(null));
        changes.put(
                "parameters, with their checksum",
                v -> {
                    ModelWeights other = VersionContractTest.tinyForecaster(0.5f);
                    WeightsCodec.Encoded encoded = WeightsCodec.encodeHashed(other);
                    v.setWeights(ByteBuffer.wrap(encoded.bytes()));
                    v.setWeightsSha256(encoded.sha256Hex());
                });
        changes.put(
                "spec inside the weights (same parameters)",
                v ->
                        v.setWeights(
                                ByteBuffer.wrap(
                                        WeightsCodec.encode(
                                                new ModelWeights(
                                                        WEIGHTS.spec()
                                                                .with(
                                                                        LstmForecasterSpec
                                                                                .LEARNING_RATE,
                                                                        0.5),
                                                        WEIGHTS.params())))));
        return changes;
    }

    @Test
    void aSignedVersionVerifiesAndNamesItsKey() throws Exception {
        ModelVersion version = signed(TRAINER);

        VerifiedVersion verified = VersionContract.verify(version, TRUSTS_TRAINER);

        assertThat(verified.weights()).isEqualTo(WEIGHTS);
        assertThat(version.getSigningKeyId()).isEqualTo(TRAINER.keyId()).matches("[0-9a-f]{16}");
        assertThat(version.getSignature().remaining()).isEqualTo(64);
    }

    @Test
    void theCanonicalBytesChangeWithEveryField() {
        ModelVersion original = signed(TRAINER);
        byte[] before = canonical(original);

        everyFieldChanged()
                .forEach(
                        (field, change) -> {
                            ModelVersion changed = copy(original);
                            change.accept(changed);
                            assertThat(canonical(changed)).as(field).isNotEqualTo(before);
                        });
        assertThat(CanonicalBytes.of(original, WEIGHTS.params().length, STRANGER.keyId()))
                .as("signingKeyId")
                .isNotEqualTo(before);
    }

    @Test
    void theCanonicalBytesDependOnlyOnWhatTheVersionSays() {
        ModelVersion a = signed(TRAINER);
        ModelVersion b = copy(a);
        // The same metrics and spec in another order, as a decoder may hand them over.
        b.setMetrics(reversed(Map.of("mae", 0.5, "rmse", 0.75)));
        a.setMetrics(new LinkedHashMap<>(Map.of("mae", 0.5, "rmse", 0.75)));
        b.setSpec(reversed(a.getSpec()));

        assertThat(canonical(b)).isEqualTo(canonical(a));
        assertThat(new String(canonical(a), 4, CanonicalBytes.TAG.length(), StandardCharsets.UTF_8))
                .isEqualTo(CanonicalBytes.TAG);
    }

    @Test
    void theCanonicalBytesOfAFixedVersionAreTheSameInEveryRun() {
        byte[] weights = new byte[100]; // a 24-byte header, 10 parameters, a checksum
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) i;
        }
        ModelVersion fixed =
                ModelVersion.newBuilder()
                        .setModel("text-classifier")
                        .setKind("text-classifier")
                        .setVersion(42)
                        .setParentVersion(41L)
                        .setSpec(Map.of("embeddingSize", "64", "vocabSize", "65536"))
                        .setWeights(ByteBuffer.wrap(weights))
                        .setWeightsSha256("ab".repeat(32))
                        .setExamplesSeen(123_456)
                        .setMetrics(Map.of("accuracy", 0.93, "baseline.accuracy", 0.5))
                        .setSourceOffsets(List.of(new SourceOffset("text-events", 0, 99L)))
                        .setCreatedAt(Instant.parse("2026-12-04T12:00:00Z"))
                        .setCodeVersion("0.1.0+fixed")
                        .build();

        assertThat(sha256Hex(CanonicalBytes.of(fixed, 10, "0011223344556677")))
                .isEqualTo(GOLDEN_CANONICAL_SHA256);
    }

    /**
     * Computed apart from this code, by writing out the layout documented in {@link CanonicalBytes}
     * field by field; a change here breaks every signature already published.
     */
    private static final String GOLDEN_CANONICAL_SHA256 =
            "aa3e33225e64a1c7cdd7f5b729544827000d119381bb2e9d1b34b92817e644f8";

    @Test
    void aChangeToAnyFieldAfterSigningIsRefusedWithTheReason() {
        Map<String, Check> expected = new LinkedHashMap<>();
        everyFieldChanged().keySet().forEach(field -> expected.put(field, Check.SIGNATURE));
        expected.put("kind", Check.KIND);
        expected.put("weightsSha256", Check.CHECKSUM);

        everyFieldChanged()
                .forEach(
                        (field, change) -> {
                            ModelVersion tampered = signed(TRAINER);
                            change.accept(tampered);
                            assertThatThrownBy(
                                            () -> VersionContract.verify(tampered, TRUSTS_TRAINER))
                                    .as(field)
                                    .isInstanceOfSatisfying(
                                            InvalidVersionException.class,
                                            e ->
                                                    assertThat(e.check())
                                                            .as(field)
                                                            .isEqualTo(expected.get(field)))
                                    .hasMessageStartingWith(
                                            tampered.getModel()
                                                    + " version "
                                                    + tampered.getVersion());
                        });
    }

    @Test
    void aDamagedOrBorrowedSignatureIsRefused() {
        ModelVersion flipped = signed(TRAINER);
        byte[] signature = flipped.getSignature().array().clone();
        signature[10] ^= 1;
        flipped.setSignature(ByteBuffer.wrap(signature));
        ModelVersion borrowed = signed(STRANGER);
        borrowed.setSigningKeyId(TRAINER.keyId());

        for (ModelVersion v : List.of(flipped, borrowed)) {
            assertThatThrownBy(() -> VersionContract.verify(v, TRUSTS_TRAINER))
                    .hasMessage(
                            "m version 3: its signature by key "
                                    + TRAINER.keyId()
                                    + " does not match its contents (changed after signing, or"
                                    + " not signed by that key)");
        }
    }

    @Test
    void aVersionSignedByAKeyNotTrustedIsRefusedNamingBothKeys() {
        assertThatThrownBy(() -> VersionContract.verify(signed(STRANGER), TRUSTS_TRAINER))
                .isInstanceOfSatisfying(
                        InvalidVersionException.class,
                        e -> assertThat(e.check()).isEqualTo(Check.UNKNOWN_KEY))
                .hasMessage(
                        "m version 3 is signed by key "
                                + STRANGER.keyId()
                                + ", which this reader does not trust (trusted: key "
                                + TRAINER.keyId()
                                + ")");
    }

    @Test
    void anUnsignedVersionIsRefusedUnlessTheReaderAllowsIt() throws Exception {
        ModelVersion unsigned =
                VersionContract.build(WEIGHTS, VersionContractTest.provenance("m", 3));
        ModelVersion stripped = signed(TRAINER);
        stripped.setSignature(null);
        stripped.setSigningKeyId(null);

        for (ModelVersion v : List.of(unsigned, stripped)) {
            assertThatThrownBy(() -> VersionContract.verify(v, TRUSTS_TRAINER))
                    .isInstanceOfSatisfying(
                            InvalidVersionException.class, e -> assertThat(e.untrusted()).isTrue())
                    .hasMessage(
                            "m version 3 is unsigned; this reader serves only versions signed by"
                                    + " key "
                                    + TRAINER.keyId());
        }
        VersionTrust lenient =
                VersionTrust.unsignedAllowed(List.of(PublicKeyId.of(TRAINER.publicKey())));
        assertThat(VersionContract.verify(unsigned, lenient).weights()).isEqualTo(WEIGHTS);
        assertThat(VersionContract.verify(signed(TRAINER), lenient).weights()).isEqualTo(WEIGHTS);
        assertThatThrownBy(() -> VersionContract.verify(signed(STRANGER), lenient))
                .hasMessageContaining("which this reader does not trust");
    }

    @Test
    void aReaderTrustingTwoKeysAcceptsVersionsOfBoth() throws Exception {
        VersionTrust rotating =
                VersionTrust.signedBy(
                        PublicKeyId.of(TRAINER.publicKey()),
                        PublicKeyId.of(NEXT_TRAINER.publicKey()));

        assertThat(VersionContract.verify(signed(TRAINER), rotating).weights()).isEqualTo(WEIGHTS);
        assertThat(VersionContract.verify(signed(NEXT_TRAINER), rotating).weights())
                .isEqualTo(WEIGHTS);
        assertThat(rotating.keyIds())
                .containsExactlyInAnyOrder(TRAINER.keyId(), NEXT_TRAINER.keyId());
    }

    @Test
    void aKeyPairCreatedInADirectoryIsReadBackAndTrusted(@TempDir Path dir) throws Exception {
        SigningKey created = KeyFiles.createIfAbsent(dir, "signing");
        SigningKey again = KeyFiles.createIfAbsent(dir, "signing");
        SigningKey read = KeyFiles.readSigningKey(dir.resolve("signing.key"));
        VersionTrust trust = VersionTrust.signedBy(KeyFiles.readPublicKeys(dir));

        assertThat(again).isEqualTo(created);
        assertThat(read).isEqualTo(created);
        assertThat(trust.keyIds()).containsExactly(created.keyId());
        assertThat(
                        VersionContract.verify(
                                        VersionContract.build(
                                                WEIGHTS,
                                                VersionContractTest.provenance("m", 3),
                                                read),
                                        trust)
                                .version())
                .isEqualTo(3);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve("signing.key")))
                    .extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        }
    }

    @Test
    void keyFilesMayBeBareBase64WithThePublicKeyBeside(@TempDir Path dir) {
        Base64.Encoder base64 = Base64.getEncoder();
        writeString(
                dir.resolve("trainer-2.key"),
                base64.encodeToString(NEXT_TRAINER.privateKeyEncoded()));
        writeString(
                dir.resolve("trainer-2.pub"),
                base64.encodeToString(NEXT_TRAINER.publicKey().getEncoded()));

        assertThat(KeyFiles.readSigningKey(dir.resolve("trainer-2.key"))).isEqualTo(NEXT_TRAINER);
        assertThat(KeyFiles.readPublicKeys(dir))
                .extracting(PublicKeyId::id)
                .containsExactly(NEXT_TRAINER.keyId());
    }

    @Test
    void aFileThatHoldsNoKeyIsRefusedNamingIt(@TempDir Path dir) {
        Path notAKey = dir.resolve("notes.pub");
        writeString(notAKey, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Path lonely = dir.resolve("lonely.key");
        writeString(lonely, KeyFiles.pem("PRIVATE KEY", TRAINER.privateKeyEncoded()));

        assertThatThrownBy(() -> KeyFiles.readPublicKeys(dir))
                .hasMessage(
                        notAKey
                                + ": expected a PEM PUBLIC KEY block (X.509) or its bytes base64'd");
        assertThatThrownBy(() -> KeyFiles.readSigningKey(lonely))
                .hasMessageStartingWith(lonely + ": no public key")
                .hasMessageEndingWith(dir.resolve("lonely.pub").toString());
        assertThatThrownBy(() -> KeyFiles.readPublicKeys(dir.resolve("absent")))
                .hasMessageContaining("not a directory");
    }

    @Test
    void aPrivateKeyBesideAnotherKeysPublicKeyIsRefused(@TempDir Path dir) {
        Path keyFile = dir.resolve("mixed.key");
        writeString(
                keyFile,
                KeyFiles.pem("PRIVATE KEY", TRAINER.privateKeyEncoded())
                        + KeyFiles.pem("PUBLIC KEY", STRANGER.publicKey().getEncoded()));

        assertThatThrownBy(() -> KeyFiles.readSigningKey(keyFile))
                .hasMessage(
                        keyFile
                                + ": the private key is not the one of public key "
                                + STRANGER.keyId());
    }

    @Test
    void aSigningKeySurvivesJavaSerializationAsAFlinkJobGraphCarriesIt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(TRAINER);
            out.writeObject(TRUSTS_TRAINER);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            SigningKey key = (SigningKey) in.readObject();
            VersionTrust trust = (VersionTrust) in.readObject();
            assertThat(
                            VersionContract.verify(
                                            VersionContract.build(
                                                    WEIGHTS,
                                                    VersionContractTest.provenance("m", 3),
                                                    key),
                                            trust)
                                    .version())
                    .isEqualTo(3);
        }
    }

    private static byte[] canonical(ModelVersion v) {
        return CanonicalBytes.of(v, WEIGHTS.params().length, v.getSigningKeyId());
    }

    private static <V> Map<String, V> reversed(Map<String, V> map) {
        List<String> keys = new ArrayList<>(new TreeMap<>(map).keySet());
        Collections.reverse(keys);
        Map<String, V> out = new LinkedHashMap<>();
        keys.forEach(k -> out.put(k, map.get(k)));
        return out;
    }

    private static ModelVersion copy(ModelVersion v) {
        return ModelVersion.newBuilder(v).build();
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
