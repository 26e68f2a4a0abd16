package dev.streamlearn.ingestion.load;

import dev.streamlearn.ingestion.file.FileRow;
import dev.streamlearn.ingestion.file.FileRows;
import dev.streamlearn.ingestion.file.Mapped;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;

/**
 * Loads a data file into its topic: each row mapped to an event and sent at the pacer's speed, each
 * row that does not map sent to dead-letters with file, line and reason. Nothing is dropped: sent +
 * rejected = rows read.
 *
 * @param <V> the event type
 */
public final class FileIngestion<V> {
    private final Function<FileRow, Mapped<V>> mapping;
    private final Function<V, String> key;
    private final Function<V, Instant> eventTime;

    public FileIngestion(
            Function<FileRow, Mapped<V>> mapping,
            Function<V, String> key,
            Function<V, Instant> eventTime) {
        this.mapping = mapping;
        this.key = key;
        this.eventTime = eventTime;
    }

    /**
     * Loads rows {@code skipRows + 1} to {@code maxRows} of the file (skipped rows were sent by an
     * earlier run; they count as done).
     */
    public LoadSummary load(
            Path file,
            long skipRows,
            long maxRows,
            EventSender<V> sender,
            Pacer pacer,
            Progress progress)
            throws IOException {
        return load(file, skipRows, maxRows, RowSink.of(sender), pacer, progress);
    }

    /**
     * As {@link #load(Path, long, long, EventSender, Pacer, Progress)} into any sink, telling it
     * after each row how many rows are done.
     */
    public LoadSummary load(
            Path file,
            long skipRows,
            long maxRows,
            RowSink<V> sender,
            Pacer pacer,
            Progress progress)
            throws IOException {
        long total = Math.min(maxRows, countRows(file));
        long done = 0;
        long rejected = 0;
        try (FileRows rows = FileRows.open(file)) {
            for (; done < skipRows && rows.hasNext(); done++) {
                rows.next();
            }
            while (rows.hasNext() && done < maxRows) {
                Mapped<V> mapped = mapping.apply(rows.next());
                if (mapped.isRejected()) {
                    sender.reject(mapped.row(), mapped.rejection().toString());
                    rejected++;
                } else {
                    V event = mapped.value();
                    pacer.awaitTurn(eventTime.apply(event));
                    sender.send(key.apply(event), event);
                }
                done++;
                sender.rowsDone(done);
                progress.update(done, total, rejected);
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        }
        // Stopped by an interrupt: still wait for what was sent, then keep the interrupt.
        boolean interrupted = Thread.interrupted();
        try {
            return sender.finish();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Rows in the file, for the ETA: one extra pass over it (the shipped files are a few MB). */
    private static long countRows(Path file) throws IOException {
        long count = 0;
        try (FileRows rows = FileRows.open(file)) {
            while (rows.hasNext()) {
                rows.next();
                count++;
            }
        }
        return count;
    }
}
