package dev.streamlearn.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes on a topic that are not a single-object Avro record of a schema version this reader knows.
 * The message names the topic, the expected record and why the bytes do not fit, so the record can
 * go to {@code dead-letters} with a reason a person can act on.
 */
public final class UnreadableRecordException extends SerializationException {
    private final String topic;

    public UnreadableRecordException(String topic, String message, Throwable cause) {
        super("topic " + topic + ": " + message, cause);
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }
}
