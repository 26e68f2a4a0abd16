package dev.streamlearn.ingestion.load;

import dev.streamlearn.ingestion.file.FileRow;

/**
 * Where a file load puts its rows: each event to its topic, each row that did not map to
 * dead-letters, and how many rows of the file are done. {@link EventSender} sends at least once
 * ({@link #of}); {@link ResumableSender} sends in transactions that also record how far it got, so
 * a load stopped at any moment continues where its committed sends end.
 *
 * @param <V> the event type
 */
public interface RowSink<V> {
    void send(String key, V event);

    /** Sends an unusable row to dead-letters with the reason. */
    void reject(FileRow row, String reason);

    /**
     * The file's first {@code rows} rows are handled: everything sent since the last call belongs
     * to them.
     */
    void rowsDone(long rows);

    /** Waits until every row handled is acknowledged (committed) and says what was done. */
    LoadSummary finish();

    /** Events acknowledged so far. */
    long sent();

    /** Rows dead-lettered so far. */
    long rejected();

    /** {@code sender} as a sink that does not record its position. */
    static <V> RowSink<V> of(EventSender<V> sender) {
        return new RowSink<>() {
            @Override
            public void send(String key, V event) {
                sender.send(key, event);
            }

            @Override
            public void reject(FileRow row, String reason) {
                sender.reject(row, reason);
            }

            @Override
            public void rowsDone(long rows) {}

            @Override
            public LoadSummary finish() {
                return sender.finish();
            }

            @Override
            public long sent() {
                return sender.sent();
            }

            @Override
            public long rejected() {
                return sender.rejected();
            }
        };
    }
}
