package dev.streamlearn.ingestion.file;

import java.util.Map;

/**
 * One record of a data file: its fields by name, or why it could not be read.
 *
 * @param file the file, as given
 * @param line the 1-based line the record starts on
 * @param fields field values by name (absent fields and JSON nulls are not in the map); empty on
 *     error
 * @param error why the record could not be read, or {@code null}
 */
public record FileRow(String file, long line, Map<String, String> fields, String error) {
    public boolean isError() {
        return error != null;
    }

    /** The rejection for this row with {@code reason}. */
    public RowRejection reject(String reason) {
        return new RowRejection(file, line, reason);
    }
}
