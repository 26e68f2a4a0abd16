package dev.streamlearn.models.version;

/** A received version that cannot serve; the message names the version and the failed check. */
public final class InvalidVersionException extends Exception {
    public InvalidVersionException(String message) {
        super(message);
    }
}
