package dev.streamlearn.schemas.record;

import dev.streamlearn.schemas.Topic;
import java.util.function.Consumer;

/**
 * The outcome of decoding one input record's value: the value, or the reason it cannot be used. The
 * one "decode or dead-letter" step that the trainer, the scorer and the normalizer share: a record
 * whose bytes do not decode, or that has no value (a tombstone) where an event is expected, is
 * refused with a reason naming the topic and what was expected.
 *
 * @param <V> the value type
 */
public sealed interface Decoded<V> {
    /** A value that decoded. */
    record Value<V>(V value) implements Decoded<V> {}

    /** A record that cannot be used, and why. */
    record Refused<V>(String reason) implements Decoded<V> {}

    /**
     * Decodes {@code origin}'s value with {@code topic}'s value serde.
     *
     * @param what what a value of this topic is, for the tombstone's reason (e.g. "TextEvent")
     */
    static <V> Decoded<V> of(Topic<?, V> topic, RecordOrigin origin, String what) {
        V value;
        try {
            value = topic.valueSerde().deserializer().deserialize(origin.topic(), origin.value());
        } catch (RuntimeException unreadable) {
            return new Refused<>(
                    unreadable.getMessage() == null
                            ? origin.topic() + ": unreadable record (" + unreadable + ")"
                            : unreadable.getMessage());
        }
        if (value == null) {
            return new Refused<>(
                    origin.topic() + ": the record has no value (a tombstone), expected a " + what);
        }
        return new Value<>(value);
    }

    /** The value, or null after handing the reason to {@code refused}. */
    default V orElse(Consumer<String> refused) {
        if (this instanceof Value<V> v) {
            return v.value();
        }
        refused.accept(((Refused<V>) this).reason());
        return null;
    }
}
