package dev.streamlearn.models.version;

import static dev.streamlearn.schemas.serde.ByteBuffers.copyOf;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.codec.WeightsFormatException;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.version.InvalidVersionException.Check;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Optional;

/**
 * What a model version is, in one place: how the trainer builds (and signs) one from weights and
 * {@link Provenance}, and how every reader (scorer, dashboard, CLI, a restarted trainer) verifies
 * one it received against the keys it trusts ({@link VersionTrust}). The weights are encoded and
 * hashed once when built and decoded and hashed once when verified. Whether a verified version may
 * serve (numbers only go up, the last K are held, pins) is the registry's rule: {@code
 * models.registry.RegistryState}. See {@code docs/ARCHITECTURE.md}, "The version contract".
 */
public final class VersionContract {
    private VersionContract() {}

    /**
     * The record to publish on {@code model-versions} for {@code weights}, unsigned: only readers
     * that allow unsigned versions serve it.
     */
    public static ModelVersion build(ModelWeights weights, Provenance provenance) {
        return unsigned(weights, provenance).build();
    }

    /**
     * The record to publish on {@code model-versions} for {@code weights}, signed by {@code key}
     * (Ed25519 over its {@link CanonicalBytes}).
     */
    public static ModelVersion build(ModelWeights weights, Provenance provenance, SigningKey key) {
        ModelVersion version = unsigned(weights, provenance).setSigningKeyId(key.keyId()).build();
        version.setSignature(
                ByteBuffer.wrap(
                        key.sign(
                                CanonicalBytes.of(version, weights.params().length, key.keyId()))));
        return version;
    }

    private static ModelVersion.Builder unsigned(ModelWeights weights, Provenance provenance) {
        WeightsCodec.Encoded encoded = WeightsCodec.encodeHashed(weights);
        return ModelVersion.newBuilder()
                .setModel(provenance.model())
                .setKind(weights.spec().kind().id())
                .setVersion(provenance.version())
                .setParentVersion(
                        provenance.parentVersion() == 0 ? null : provenance.parentVersion())
                .setSpec(weights.spec().toMap())
                .setWeights(ByteBuffer.wrap(encoded.bytes()))
                .setWeightsSha256(encoded.sha256Hex())
                .setExamplesSeen(provenance.examplesSeen())
                .setMetrics(provenance.metrics())
                .setSourceOffsets(provenance.sourceOffsets())
                .setCreatedAt(provenance.createdAt())
                .setCodeVersion(CodeVersion.current());
    }

    /**
     * Checks a received version: whom it comes from (signed by a key {@code trust} holds, or
     * unsigned where {@code trust} allows that), that its weights decode (the codec checks
     * structure, spec, parameter count against the spec, checksum and that every value is finite),
     * that the kind and checksum the record announces are those of its weights, and that its
     * signature covers exactly what it says ({@link CanonicalBytes}).
     *
     * @throws InvalidVersionException naming the version and the check that failed
     */
    public static VerifiedVersion verify(ModelVersion version, VersionTrust trust)
            throws InvalidVersionException {
        String name = version.getModel() + " version " + version.getVersion();
        Optional<PublicKeyId> signer = signer(name, version, trust);
        WeightsCodec.Decoded decoded;
        try {
            decoded = WeightsCodec.decodeVerified(copyOf(version.getWeights()));
        } catch (WeightsFormatException e) {
            throw new InvalidVersionException(Check.WEIGHTS, name + ": " + e.getMessage());
        }
        ModelWeights weights = decoded.weights();
        if (!weights.spec().kind().id().equals(version.getKind())) {
            throw new InvalidVersionException(
                    Check.KIND,
                    name
                            + " announces kind "
                            + version.getKind()
                            + " but its weights are "
                            + weights.spec().kind().id());
        }
        if (!decoded.sha256Hex().equals(version.getWeightsSha256())) {
            throw new InvalidVersionException(
                    Check.CHECKSUM,
                    name
                            + " announces weightsSha256 "
                            + version.getWeightsSha256()
                            + " but its parameters hash to "
                            + decoded.sha256Hex());
        }
        if (signer.isPresent()
                && !signatureMatches(
                        signer.get(),
                        CanonicalBytes.of(version, weights.params().length, signer.get().id()),
                        copyOf(version.getSignature()))) {
            throw new InvalidVersionException(
                    Check.SIGNATURE,
                    name
                            + ": its signature by key "
                            + signer.get().id()
                            + " does not match its contents (changed after signing, or not"
                            + " signed by that key)");
        }
        return new VerifiedVersion(version, weights);
    }

    /**
     * {@link #verify(ModelVersion, VersionTrust)} for a reader that trusts no key and accepts
     * unsigned versions ({@link VersionTrust#unsignedOnly()}), as every reader did before signing:
     * for tests and tools that read versions of an unsigned trainer.
     */
    public static VerifiedVersion verify(ModelVersion version) throws InvalidVersionException {
        return verify(version, VersionTrust.unsignedOnly());
    }

    /** The trusted key that signed {@code version}, or empty if it is unsigned and may be. */
    private static Optional<PublicKeyId> signer(
            String name, ModelVersion version, VersionTrust trust) throws InvalidVersionException {
        String keyId = version.getSigningKeyId();
        ByteBuffer signature = version.getSignature();
        if (keyId == null && signature == null) {
            if (trust.allowsUnsigned()) {
                return Optional.empty();
            }
            throw new InvalidVersionException(
                    Check.UNSIGNED,
                    name
                            + " is unsigned; this reader serves only versions signed by "
                            + keys(trust));
        }
        if (keyId == null || signature == null) {
            throw new InvalidVersionException(
                    Check.UNKNOWN_KEY,
                    name
                            + " carries "
                            + (keyId == null
                                    ? "a signature without a signingKeyId"
                                    : "a signingKeyId without a signature"));
        }
        return Optional.of(
                trust.key(keyId)
                        .orElseThrow(
                                () ->
                                        new InvalidVersionException(
                                                Check.UNKNOWN_KEY,
                                                name
                                                        + " is signed by key "
                                                        + keyId
                                                        + ", which this reader does not trust"
                                                        + " (trusted: "
                                                        + keys(trust)
                                                        + ")")));
    }

    private static String keys(VersionTrust trust) {
        return trust.keyIds().isEmpty() ? "no key" : "key " + String.join(", ", trust.keyIds());
    }

    private static boolean signatureMatches(PublicKeyId key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(SigningKey.ALGORITHM);
            verifier.initVerify(key.key());
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException malformed) {
            return false; // a signature that is not even Ed25519-shaped does not match
        }
    }
}
