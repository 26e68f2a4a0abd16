package dev.streamlearn.ingestion.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * Reads the records of a CSV (with a header line) or JSON Lines file, gzipped or not, in file
 * order. The format is taken from the name ({@code .csv}, {@code .jsonl}/{@code .ndjson}/{@code
 * .json}, each optionally {@code .gz}); gzip is detected from the content. A record that cannot be
 * read comes back as an error row, not an exception, so one bad line does not stop a replay.
 */
public final class FileRows implements Iterator<FileRow>, Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String file;
    private final BufferedReader reader;
    private final boolean csv;
    private final CsvParser csvParser;
    private List<String> header;
    private long line;
    private FileRow next;

    private FileRows(Path path, BufferedReader reader, boolean csv) throws IOException {
        this.file = path.toString();
        this.reader = reader;
        this.csv = csv;
        this.csvParser = csv ? new CsvParser(reader) : null;
        if (csv) {
            try {
                header = csvParser.next();
            } catch (IOException unreadable) {
                throw new IOException(
                        file + ": " + unreadable.getMessage() + ", expected a CSV header line",
                        unreadable);
            }
            if (header == null) {
                throw new IOException(file + " is empty: expected a CSV header line");
            }
        }
    }

    /**
     * Opens a data file.
     *
     * @throws IOException if it cannot be opened or its name has no known data extension
     */
    public static FileRows open(Path path) throws IOException {
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        boolean csv;
        if (base.endsWith(".csv")) {
            csv = true;
        } else if (base.endsWith(".jsonl") || base.endsWith(".ndjson") || base.endsWith(".json")) {
            csv = false;
        } else {
            throw new IOException(
                    path
                            + ": unknown format, expected a name ending in .csv, .jsonl, .ndjson or .json (optionally .gz)");
        }
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new IOException(path + ": no such file", e);
        }
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        return new FileRows(path, reader, csv);
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = csv ? readCsv() : readJson();
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": " + e.getMessage(), e);
            }
        }
        return next != null;
    }

    @Override
    public FileRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        FileRow row = next;
        next = null;
        return row;
    }

    private FileRow readCsv() throws IOException {
        List<String> values;
        try {
            values = csvParser.next();
        } catch (IOException e) {
            return new FileRow(file, csvParser.recordLine(), Map.of(), e.getMessage());
        }
        if (values == null) {
            return null;
        }
        long at = csvParser.recordLine();
        if (values.size() != header.size()) {
            return new FileRow(
                    file,
                    at,
                    Map.of(),
                    "has " + values.size() + " fields, the header has " + header.size());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            fields.put(header.get(i), values.get(i));
        }
        return new FileRow(file, at, Collections.unmodifiableMap(fields), null);
    }

    private FileRow readJson() throws IOException {
        String text;
        do {
            text = reader.readLine();
            line++;
            if (text == null) {
                return null;
            }
        } while (text.isBlank());
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new FileRow(
                    file, line, Map.of(), "is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return new FileRow(file, line, Map.of(), "is not a JSON object");
        }
        Map<String, String> fields = new HashMap<>();
        node.fields()
                .forEachRemaining(
                        e -> {
                            JsonNode v = e.getValue();
                            if (!v.isNull()) {
                                fields.put(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
                            }
                        });
        return new FileRow(file, line, Collections.unmodifiableMap(fields), null);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
