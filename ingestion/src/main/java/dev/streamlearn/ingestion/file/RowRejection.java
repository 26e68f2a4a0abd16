package dev.streamlearn.ingestion.file;

/**
 * A row that could not become an event, with where it is and why: what a user needs to fix it.
 *
 * @param file the file, as given
 * @param line the 1-based line the row starts on
 * @param reason what was wrong and what was expected
 */
public record RowRejection(String file, long line, String reason) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
