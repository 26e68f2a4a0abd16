package dev.streamlearn.models.version;

import static dev.streamlearn.schemas.serde.ByteBuffers.copyOf;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.codec.WeightsFormatException;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.nio.ByteBuffer;

/**
 * What a model version is, in one place: how the trainer builds one from weights and {@link
 * Provenance}, and how every reader (scorer, dashboard, CLI, a restarted trainer) verifies one it
 * received. The weights are encoded and hashed once when built and decoded and hashed once when
 * verified. Whether a verified version may serve (numbers only go up, the last K are held, pins) is
 * the registry's rule: {@code models.registry.RegistryState}. See {@code docs/ARCHITECTURE.md},
 * "The version contract".
 */
public final class VersionContract {
    private VersionContract() {}

    /** The record to publish on {@code model-versions} for {@code weights}. */
    public static ModelVersion build(ModelWeights weights, Provenance provenance) {
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
                .setCodeVersion(CodeVersion.current())
                .build();
    }

    /**
     * Checks a received version: its weights decode (the codec checks structure, spec, parameter
     * count against the spec, checksum and that every value is finite), and the kind and checksum
     * the record announces are those of its weights.
     *
     * @throws InvalidVersionException naming the version and the check that failed
     */
    public static VerifiedVersion verify(ModelVersion version) throws InvalidVersionException {
        String name = version.getModel() + " version " + version.getVersion();
        WeightsCodec.Decoded decoded;
        try {
            decoded = WeightsCodec.decodeVerified(copyOf(version.getWeights()));
        } catch (WeightsFormatException e) {
            throw new InvalidVersionException(name + ": " + e.getMessage());
        }
        ModelWeights weights = decoded.weights();
        if (!weights.spec().kind().id().equals(version.getKind())) {
            throw new InvalidVersionException(
                    name
                            + " announces kind "
                            + version.getKind()
                            + " but its weights are "
                            + weights.spec().kind().id());
        }
        if (!decoded.sha256Hex().equals(version.getWeightsSha256())) {
            throw new InvalidVersionException(
                    name
                            + " announces weightsSha256 "
                            + version.getWeightsSha256()
                            + " but its parameters hash to "
                            + decoded.sha256Hex());
        }
        return new VerifiedVersion(version, weights);
    }
}
