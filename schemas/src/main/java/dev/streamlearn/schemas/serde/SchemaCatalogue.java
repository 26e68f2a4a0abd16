package dev.streamlearn.schemas.serde;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Every released version of every record schema, so that a reader can resolve data written with an
 * older schema from the fingerprint in its single-object header.
 *
 * <p>Released schemas live on the classpath under {@code avro/history/<Record>/vN.avsc}; each
 * {@code avro/history/INDEX} file lists the ones beside it (a classpath folder cannot be listed
 * portably, and several jars may each contribute an INDEX).
 */
public final class SchemaCatalogue {
    static final String HISTORY_ROOT = "avro/history/";

    private static final SchemaCatalogue CLASSPATH = load(SchemaCatalogue.class.getClassLoader());

    private final Map<Long, Schema> byFingerprint;
    private final Map<String, List<Schema>> byFullName;

    private SchemaCatalogue(List<Schema> schemas) {
        Map<Long, Schema> fingerprints = new HashMap<>();
        Map<String, List<Schema>> names = new HashMap<>();
        for (Schema schema : schemas) {
            fingerprints.put(fingerprint(schema), schema);
            names.computeIfAbsent(schema.getFullName(), n -> new ArrayList<>()).add(schema);
        }
        this.byFingerprint = Map.copyOf(fingerprints);
        names.replaceAll((name, list) -> List.copyOf(list));
        this.byFullName = Map.copyOf(names);
    }

    /** The catalogue of every history folder on the classpath. */
    public static SchemaCatalogue classpath() {
        return CLASSPATH;
    }

    /** The 64-bit Rabin fingerprint that single-object encoding puts in its header. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** Every released version of the record with this full name, oldest first. */
    public List<Schema> versionsOf(String fullName) {
        return byFullName.getOrDefault(fullName, List.of());
    }

    public Optional<Schema> byFingerprint(long fingerprint) {
        return Optional.ofNullable(byFingerprint.get(fingerprint));
    }

    static SchemaCatalogue load(ClassLoader classLoader) {
        List<Schema> schemas = new ArrayList<>();
        try {
            for (URL index : Collections.list(classLoader.getResources(HISTORY_ROOT + "INDEX"))) {
                for (String entry : readLines(index)) {
                    URL file = new URL(index, entry);
                    try (InputStream in = file.openStream()) {
                        // One parser per file: each file defines its nested records anew.
                        schemas.add(new Schema.Parser().parse(in));
                    } catch (IOException | RuntimeException e) {
                        throw new IllegalStateException(
                                "schema history file "
                                        + file
                                        + " (listed in "
                                        + index
                                        + ")"
                                        + " cannot be read as an Avro schema: "
                                        + e.getMessage(),
                                e);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + HISTORY_ROOT + "INDEX", e);
        }
        return new SchemaCatalogue(schemas);
    }

    private static List<String> readLines(URL index) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(index.openStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String entry = line.strip();
                if (!entry.isEmpty() && !entry.startsWith("#")) {
                    lines.add(entry);
                }
            }
        }
        return lines;
    }
}
