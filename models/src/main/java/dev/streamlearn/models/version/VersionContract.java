package dev.streamlearn.models.version;

import static dev.streamlearn.schemas.serde.ByteBuffers.copyOf;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.codec.WeightsDelta;
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
 * hashed once when built and decoded and hashed once when verified. A version may carry only the
 * parameter rows changed since an earlier one ({@code deltaOf}, {@link WeightsDelta}); a reader
 * rebuilds its full weights from that version's, which it must hold ({@link HeldWeights}), and
 * checks them against the hash the version announces. Whether a verified version may serve (numbers
 * only go up, the last K are held, pins) is the registry's rule: {@code
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
        return signed(
                unsigned(weights, provenance).setSigningKeyId(key.keyId()).build(),
                weights.params().length,
                key);
    }

    /**
     * The record to publish for {@code weights} as a delta of {@code base}: its weights hold only
     * the parameter rows that differ from {@code base}'s ({@link WeightsDelta}), its {@code
     * weightsSha256} is still the hash of all of {@code weights}' parameters, and {@code deltaOf}
     * names {@code base}. Signed by {@code key}, or unsigned if it is null.
     *
     * @throws IllegalArgumentException if the specs differ (a new shape needs full weights)
     */
    public static ModelVersion buildDelta(
            ModelWeights weights, Provenance provenance, HeldWeights base, SigningKey key) {
        WeightsCodec.Encoded delta = WeightsDelta.encode(base.weights(), base.sha256Hex(), weights);
        ModelVersion.Builder builder =
                unsigned(weights, delta, provenance).setDeltaOf(base.version());
        return key == null
                ? builder.build()
                : signed(
                        builder.setSigningKeyId(key.keyId()).build(), weights.params().length, key);
    }

    private static ModelVersion signed(ModelVersion version, int parameters, SigningKey key) {
        version.setSignature(
                ByteBuffer.wrap(key.sign(CanonicalBytes.of(version, parameters, key.keyId()))));
        return version;
    }

    private static ModelVersion.Builder unsigned(ModelWeights weights, Provenance provenance) {
        return unsigned(weights, WeightsCodec.encodeHashed(weights), provenance);
    }

    private static ModelVersion.Builder unsigned(
            ModelWeights weights, WeightsCodec.Encoded encoded, Provenance provenance) {
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
        return verify(version, trust, Optional.empty());
    }

    /**
     * {@link #verify(ModelVersion, VersionTrust)} for a reader that holds the full weights of
     * {@code parent}, so that it can also verify a delta of it: the delta's signature is checked on
     * the delta as sent, then the full weights are rebuilt from {@code parent}'s and their hash
     * must be the {@code weightsSha256} the version announces. A delta of any other version is
     * refused ({@link Check#MISSING_PARENT}); a version with full weights needs no parent.
     *
     * @throws InvalidVersionException naming the version and the check that failed
     */
    public static VerifiedVersion verify(
            ModelVersion version, VersionTrust trust, Optional<HeldWeights> parent)
            throws InvalidVersionException {
        String name = version.getModel() + " version " + version.getVersion();
        Optional<PublicKeyId> signer = signer(name, version, trust);
        Long deltaOf = version.getDeltaOf();
        boolean deltaBytes = WeightsDelta.isDelta(version.getWeights());
        if (deltaBytes != (deltaOf != null)) {
            throw new InvalidVersionException(
                    Check.WEIGHTS,
                    name
                            + (deltaOf == null
                                    ? " carries a delta's weights but names no deltaOf version"
                                    : " names deltaOf " + deltaOf + " but carries full weights"));
        }
        if (deltaOf != null) {
            if (signer.isPresent()) {
                checkSignature(name, version, 0, signer.get());
            }
            if (parent.isEmpty() || parent.get().version() != deltaOf) {
                throw new InvalidVersionException(
                        Check.MISSING_PARENT,
                        name
                                + " is a delta of version "
                                + deltaOf
                                + ", whose full weights this reader does not hold ("
                                + parent.map(p -> "it holds version " + p.version())
                                        .orElse("it holds none of this model")
                                + "); refused until a version with full weights arrives");
            }
        }
        WeightsCodec.Decoded decoded;
        try {
            decoded =
                    deltaOf == null
                            ? WeightsCodec.decodeVerified(copyOf(version.getWeights()))
                            : WeightsDelta.apply(
                                    copyOf(version.getWeights()),
                                    parent.get().weights(),
                                    parent.get().sha256Hex());
        } catch (WeightsFormatException e) {
            // Held weights of the right number but not the ones the delta was made from: as good
            // as no parent, and the next full version mends it.
            throw new InvalidVersionException(
                    e.check() == WeightsFormatException.Check.BASE
                            ? Check.MISSING_PARENT
                            : Check.WEIGHTS,
                    name
                            + (deltaOf == null ? "" : " (a delta of version " + deltaOf + ")")
                            + ": "
                            + e.getMessage());
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
        if (signer.isPresent() && deltaOf == null) {
            checkSignature(name, version, weights.params().length, signer.get());
        }
        return new VerifiedVersion(version, weights);
    }

    private static void checkSignature(
            String name, ModelVersion version, int parameterCount, PublicKeyId signer)
            throws InvalidVersionException {
        if (!signatureMatches(
                signer,
                CanonicalBytes.of(version, parameterCount, signer.id()),
                copyOf(version.getSignature()))) {
            throw new InvalidVersionException(
                    Check.SIGNATURE,
                    name
                            + ": its signature by key "
                            + signer.id()
                            + " does not match its contents (changed after signing, or not"
                            + " signed by that key)");
        }
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
