package dev.streamlearn.broker;

/** The embedded broker cannot start; the message says which input is wrong and what to do. */
public final class BrokerStartException extends RuntimeException {
    public BrokerStartException(String message) {
        super(message);
    }

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
