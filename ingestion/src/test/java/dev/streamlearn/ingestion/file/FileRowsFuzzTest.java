package dev.streamlearn.ingestion.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.ingestion.fuzz.JsonFuzz;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.fuzz.Bounded;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 18, fuzzing: the CSV and JSON Lines readers and the field mappings behind {@code ingest},
 * fed damaged files, never throw for a bad record: each one comes back as a rejection naming the
 * file, the line and the reason, every record read becomes an event or a rejection, and a good
 * record after the bad ones is still read. Each file is read within {@link Bounded#PER_CASE}.
 */
class FileRowsFuzzTest {
    private static final TextFieldMapping TEXTS =
            new TextFieldMapping("id", List.of("text"), "label", "time");
    private static final SeriesFieldMapping SERIES =
            new SeriesFieldMapping("seriesId", "value", "time", "whole-file");
    private static final String HEADER = "id,text,label,time,seriesId,value";
    private static final String GOOD_CSV = "good,still here,ham,2010-05-09,good,1.5";
    private static final String GOOD_JSON =
            "{\"id\":\"good\",\"text\":\"still here\",\"label\":\"ham\",\"time\":\"2010-05-09\","
                    + "\"seriesId\":\"good\",\"value\":1.5}";
    private static final Instant GOOD_TIME = Instant.parse("2010-05-09T00:00:00Z");

    private Path dir;

    @BeforeProperty
    void createDirectory() throws IOException {
        dir = Files.createTempDirectory("file-rows-fuzz");
    }

    @AfterProperty
    void deleteDirectory() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @Property(tries = 10_000)
    void everyCsvRecordBecomesAnEventOrARejectionAndTheGoodLastOneIsRead(
            @ForAll("csvRecords") List<List<String>> records) throws IOException {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        int nonBlank = 0;
        for (List<String> record : records) {
            String line = String.join(",", record);
            csv.append(line).append(records.size() % 2 == 0 ? "\n" : "\r\n");
            nonBlank += line.isEmpty() ? 0 : 1;
        }
        csv.append(GOOD_CSV).append('\n');
        Path file = write("records.csv", csv.toString().getBytes(StandardCharsets.UTF_8));

        List<FileRow> rows = readAndMapEveryRow(file);

        assertThat(rows).as("one row per non-blank record").hasSize(nonBlank + 1);
        assertTheLastRowIsTheGoodOne(rows);
    }

    @Property(tries = 10_000)
    void everyJsonLineBecomesAnEventOrARejectionAndTheGoodLastOneIsRead(
            @ForAll("jsonLines") List<byte[]> lines) throws IOException {
        ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            jsonl.write(line);
            jsonl.write('\n');
        }
        jsonl.write(GOOD_JSON.getBytes(StandardCharsets.UTF_8));
        jsonl.write('\n');
        Path file = write("records.jsonl", jsonl.toByteArray());

        assertTheLastRowIsTheGoodOne(readAndMapEveryRow(file));
    }

    @Property(tries = 2_000)
    void anyBytesAsCsvOrJsonLinesAreReadToTheirEndWithoutAnException(
            @ForAll("anyBytes") byte[] content, @ForAll boolean csv) throws IOException {
        Path file = write(csv ? "any.csv" : "any.jsonl", content);

        try {
            readAndMapEveryRow(file);
        } catch (IOException refused) {
            // Only the file as a whole may be refused, for its CSV header line, naming the file.
            assertThat(refused.getMessage()).startsWith(file.toString()).endsWith("header line");
        }
    }

    @Provide
    Arbitrary<List<List<String>>> csvRecords() {
        Arbitrary<String> raw =
                JsonFuzz.fieldTexts()
                        .filter(
                                text ->
                                        text.chars()
                                                .noneMatch(
                                                        c ->
                                                                c == ',' || c == '"' || c == '\n'
                                                                        || c == '\r'));
        Arbitrary<String> quoted =
                JsonFuzz.fieldTexts().map(text -> '"' + text.replace("\"", "\"\"") + '"');
        Arbitrary<String> field = Arbitraries.frequencyOf(Tuple.of(4, raw), Tuple.of(1, quoted));
        Arbitrary<List<String>> rightWidth = field.list().ofSize(6);
        Arbitrary<List<String>> wrongWidth = field.list().ofMaxSize(9);
        return Arbitraries.frequencyOf(Tuple.of(3, rightWidth), Tuple.of(1, wrongWidth))
                .list()
                .ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<byte[]>> jsonLines() {
        return JsonFuzz.values().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        // Bytes that start like gzip are not read as text; gzip streams are not fuzzed here.
        Arbitrary<byte[]> text =
                Arbitraries.strings()
                        .withChars("\"\",\r\n{}[]:ab1 ")
                        .ofMaxLength(200)
                        .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(text, Arbitraries.bytes().array(byte[].class).ofMaxSize(200))
                .filter(bytes -> bytes.length < 2 || bytes[0] != 0x1f || bytes[1] != (byte) 0x8b);
    }

    /** Reads {@code file} within the deadline, mapping every row both ways; nothing may throw. */
    private static List<FileRow> readAndMapEveryRow(Path file) throws IOException {
        Bounded.Outcome<List<FileRow>> outcome =
                Bounded.call(
                        () -> {
                            List<FileRow> rows = new ArrayList<>();
                            try (FileRows reader = FileRows.open(file)) {
                                reader.forEachRemaining(rows::add);
                            }
                            for (FileRow row : rows) {
                                assertMapped(row, TEXTS.map(row));
                                assertMapped(row, SERIES.map(row));
                            }
                            return rows;
                        });
        if (outcome.value() != null) {
            for (FileRow row : outcome.value()) {
                Statistics.label("text row")
                        .collect(TEXTS.map(row).isRejected() ? "rejected" : "event");
            }
        }
        if (outcome.failure() instanceof IOException e) {
            throw e;
        }
        if (outcome.failure() instanceof UncheckedIOException e) {
            throw e;
        }
        assertThat(outcome.failure()).as("what reading and mapping threw").isNull();
        return outcome.value();
    }

    private static void assertMapped(FileRow row, Mapped<?> mapped) {
        if (row.isError()) {
            assertThat(row.error()).isNotBlank();
            assertThat(mapped.isRejected()).isTrue();
        }
        if (mapped.isRejected()) {
            assertThat(mapped.value()).isNull();
            assertThat(mapped.rejection().reason()).isNotBlank();
            assertThat(mapped.rejection().toString())
                    .startsWith(row.file() + ":" + row.line() + ": ");
        } else {
            assertThat(mapped.value()).isNotNull();
        }
    }

    private static void assertTheLastRowIsTheGoodOne(List<FileRow> rows) {
        FileRow last = rows.get(rows.size() - 1);
        assertThat(TEXTS.map(last).value())
                .isEqualTo(new TextEvent("good", GOOD_TIME, "still here", "ham"));
        assertThat(SERIES.map(last).value()).isEqualTo(new SeriesPoint("good", GOOD_TIME, 1.5));
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }
}
