package dev.streamlearn.schemas.kafka;

import org.apache.kafka.common.errors.AuthenticationException;

/** The broker answered but refused the connection: its TLS handshake or the SASL credentials. */
public final class KafkaAuthenticationException extends RuntimeException {
    public KafkaAuthenticationException(KafkaConnection connection, AuthenticationException cause) {
        super(
                "Kafka at "
                        + connection.describe()
                        + " refused the connection: "
                        + cause.getMessage()
                        + " (check security.protocol, sasl.* and ssl.* in --config)",
                cause);
    }
}
