package dev.streamlearn.trainer.versions;

import java.io.Serializable;

/**
 * When a model's next version carries its full weights rather than only what changed since the
 * version before ({@link VersionBuilder}). Full versions bound what a reader that lost the chain
 * (started mid-topic, or refused a version) waits for, and how many deltas one that starts from the
 * newest full version must apply.
 *
 * @param fullEveryVersions every this many versions one is full (1: every version is full, as
 *     before deltas; default {@value #DEFAULT_FULL_EVERY_VERSIONS})
 * @param fullEveryBytes a full version once the deltas since the last one add up to this many bytes
 *     (default {@value #DEFAULT_FULL_EVERY_BYTES})
 */
public record DeltaPolicy(int fullEveryVersions, long fullEveryBytes) implements Serializable {
    /**
     * A full version about every half hour at the default publish interval: readers only wait for
     * one when they lost the chain, and the scorer, which replays the topic from its start, finds
     * the first one in the replay; so they can be rare, and each costs a full version's bytes.
     */
    public static final int DEFAULT_FULL_EVERY_VERSIONS = 1000;

    /** What a reader that starts at the newest full version reads at most to catch up. */
    public static final long DEFAULT_FULL_EVERY_BYTES = 256L << 20;

    public DeltaPolicy {
        if (fullEveryVersions < 1) {
            throw new IllegalArgumentException(
                    "fullEveryVersions = " + fullEveryVersions + ", expected >= 1");
        }
        if (fullEveryBytes < 1) {
            throw new IllegalArgumentException(
                    "fullEveryBytes = " + fullEveryBytes + ", expected >= 1");
        }
    }

    public static DeltaPolicy defaults() {
        return new DeltaPolicy(DEFAULT_FULL_EVERY_VERSIONS, DEFAULT_FULL_EVERY_BYTES);
    }

    /** Every version full: how versions were published before deltas. */
    public static DeltaPolicy fullOnly() {
        return new DeltaPolicy(1, Long.MAX_VALUE);
    }
}
