package dev.streamlearn.models.version;

import java.util.Set;

/** A received version that cannot serve; the message names the version and the failed check. */
public final class InvalidVersionException extends Exception {
    /** What a refused version failed, in the order {@link VersionContract#verify} checks. */
    public enum Check {
        /** It carries no signature, and the reader serves only signed versions. */
        UNSIGNED,
        /** It is signed by a key the reader does not trust, or its signature is incomplete. */
        UNKNOWN_KEY,
        /**
         * It is a delta of a version whose full weights the reader does not hold: it cannot be
         * rebuilt, and the reader waits for the next version with full weights.
         */
        MISSING_PARENT,
        /** Its weights do not decode (the codec's check is named in the message). */
        WEIGHTS,
        /** The kind it announces is not that of its weights. */
        KIND,
        /** The checksum it announces is not that of its weights. */
        CHECKSUM,
        /** Its signature does not match its contents: changed after it was signed. */
        SIGNATURE
    }

    private static final Set<Check> TRUST =
            Set.of(Check.UNSIGNED, Check.UNKNOWN_KEY, Check.SIGNATURE);

    private final Check check;

    public InvalidVersionException(Check check, String message) {
        super(message);
        this.check = check;
    }

    public Check check() {
        return check;
    }

    /** Whether it was refused for whom it comes from (unsigned, unknown key, bad signature). */
    public boolean untrusted() {
        return TRUST.contains(check);
    }
}
