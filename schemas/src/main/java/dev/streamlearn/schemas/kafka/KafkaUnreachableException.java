package dev.streamlearn.schemas.kafka;

/** No Kafka broker answered at the given bootstrap address in time. */
public final class KafkaUnreachableException extends RuntimeException {
    public KafkaUnreachableException(String bootstrap, long seconds, Throwable cause) {
        super(
                "cannot reach Kafka at --bootstrap "
                        + bootstrap
                        + " within "
                        + seconds
                        + " s: is a"
                        + " broker running there? (`streamlearn broker` starts one on 127.0.0.1:9092)",
                cause);
    }
}
