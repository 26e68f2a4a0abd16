package dev.streamlearn.ingestion.file;

/**
 * The result of mapping one row: an event or a rejection, never both.
 *
 * @param <T> the event type
 */
public record Mapped<T>(T value, RowRejection rejection, FileRow row) {
    static <T> Mapped<T> of(T value, FileRow row) {
        return new Mapped<>(value, null, row);
    }

    static <T> Mapped<T> rejected(FileRow row, String reason) {
        return new Mapped<>(null, row.reject(reason), row);
    }

    public boolean isRejected() {
        return rejection != null;
    }
}
