package dev.streamlearn.scorer.scoring;

import dev.streamlearn.schemas.record.RecordOrigin;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Events that arrived before any model existed, kept in arrival order in a changelogged store (so a
 * crash loses none) until a model can score them. Bounded: past {@code limit} an event is not kept
 * and the caller dead-letters it, so memory stays bounded and still nothing is lost.
 */
final class PendingEvents {
    private final KeyValueStore<Long, byte[]> store;
    private final int limit;
    private final AtomicLong pendingGauge;
    private long size;
    private long nextSequence;

    PendingEvents(KeyValueStore<Long, byte[]> store, int limit, AtomicLong pendingGauge) {
        this.store = store;
        this.limit = limit;
        this.pendingGauge = pendingGauge;
        try (KeyValueIterator<Long, byte[]> all = store.all()) {
            while (all.hasNext()) {
                nextSequence = Math.max(nextSequence, all.next().key + 1);
                size++;
            }
        }
        pendingGauge.addAndGet(size);
    }

    /** Keeps the event for later; false when the buffer is full. */
    boolean add(RecordOrigin origin) {
        if (size >= limit) {
            return false;
        }
        store.put(nextSequence++, encode(origin));
        size++;
        pendingGauge.incrementAndGet();
        return true;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int limit() {
        return limit;
    }

    /** Hands every waiting event to {@code scorer}, oldest first, and forgets it. */
    void drain(Consumer<RecordOrigin> scorer) {
        if (size == 0) {
            return;
        }
        try (KeyValueIterator<Long, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Long, byte[]> entry = all.next();
                store.delete(entry.key);
                size--;
                pendingGauge.decrementAndGet();
                scorer.accept(decode(entry.value));
            }
        }
    }

    private static byte[] encode(RecordOrigin origin) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(origin.topic());
            out.writeInt(origin.partition());
            out.writeLong(origin.offset());
            out.writeLong(origin.timestamp());
            writeBytes(out, origin.key());
            writeBytes(out, origin.value());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RecordOrigin decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            return new RecordOrigin(
                    in.readUTF(),
                    in.readInt(),
                    in.readLong(),
                    in.readLong(),
                    readBytes(in),
                    readBytes(in));
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt pending event in the scorer's store", e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : in.readNBytes(length);
    }
}
