package dev.streamlearn.models.version;

import dev.streamlearn.schemas.avro.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Verifies one model's versions in the order they were published, each delta on the full weights of
 * the version verified just before it: how a reader that starts at a full version follows the
 * deltas after it. A version that fails leaves the chain where it was, so the deltas after it fail
 * too until the next full version. Not thread-safe.
 */
public final class VersionChain {
    private final VersionTrust trust;
    private HeldWeights held;

    public VersionChain(VersionTrust trust) {
        this.trust = trust;
    }

    /**
     * Verifies {@code version}, the next one read ({@link VersionContract#verify(ModelVersion,
     * VersionTrust, Optional)}), and holds its full weights for the next delta.
     */
    public VerifiedVersion verify(ModelVersion version) throws InvalidVersionException {
        VerifiedVersion verified =
                VersionContract.verify(version, trust, Optional.ofNullable(held));
        held = HeldWeights.of(verified);
        return verified;
    }

    /** The full weights of the last version verified, empty before the first. */
    public Optional<HeldWeights> held() {
        return Optional.ofNullable(held);
    }

    /**
     * Every one of {@code versions}, one model's in publishing order, verified with its full
     * weights.
     *
     * @throws InvalidVersionException for the first that fails
     */
    public static List<VerifiedVersion> verifyAll(List<ModelVersion> versions, VersionTrust trust)
            throws InvalidVersionException {
        VersionChain chain = new VersionChain(trust);
        List<VerifiedVersion> out = new ArrayList<>(versions.size());
        for (ModelVersion v : versions) {
            out.add(chain.verify(v));
        }
        return out;
    }

    /** {@link #verifyAll(List, VersionTrust)} of unsigned versions, for tests and tools. */
    public static List<VerifiedVersion> verifyAll(List<ModelVersion> versions)
            throws InvalidVersionException {
        return verifyAll(versions, VersionTrust.unsignedOnly());
    }
}
