package dev.streamlearn.ingestion.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRowsTest {
    @TempDir Path dir;

    private List<FileRow> readAll(Path path) throws IOException {
        List<FileRow> rows = new ArrayList<>();
        try (FileRows it = FileRows.open(path)) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void readsCsvWithQuotedCommasQuotesAndNewlinesAndKnowsEachRecordsLine() throws IOException {
        Path file = dir.resolve("a.csv");
        Files.writeString(
                file, "id,text\r\n1,\"hello, \"\"world\"\"\"\r\n2,\"two\nlines\"\n3,plain\n");
        List<FileRow> rows = readAll(file);
        assertThat(rows)
                .extracting(r -> r.fields().get("text"))
                .containsExactly("hello, \"world\"", "two\nlines", "plain");
        assertThat(rows).extracting(FileRow::line).containsExactly(2L, 3L, 5L);
    }

    @Test
    void aCsvRowWithTheWrongNumberOfFieldsIsAnErrorRowNotAnException() throws IOException {
        Path file = dir.resolve("b.csv");
        Files.writeString(file, "a,b\n1,2\n1,2,3\n4,5\n");
        List<FileRow> rows = readAll(file);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).error()).isEqualTo("has 3 fields, the header has 2");
        assertThat(rows.get(1).line()).isEqualTo(3);
    }

    @Test
    void readsGzippedJsonLinesAndReportsBrokenLines() throws IOException {
        Path file = dir.resolve("c.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(
                    "{\"id\":\"x\",\"n\":3,\"label\":null}\n\n{broken\n[1]\n"
                            .getBytes(StandardCharsets.UTF_8));
        }
        List<FileRow> rows = readAll(file);
        assertThat(rows.get(0).fields())
                .containsEntry("id", "x")
                .containsEntry("n", "3")
                .doesNotContainKey("label");
        assertThat(rows.get(1).line()).isEqualTo(3);
        assertThat(rows.get(1).error()).startsWith("is not valid JSON");
        assertThat(rows.get(2).error()).isEqualTo("is not a JSON object");
    }

    @Test
    void aCsvHeaderThatCannotBeReadIsRefusedNamingTheFile() throws IOException {
        // Found by FileRowsFuzzTest: the refusal said "line 1: ..." without saying of which file.
        Path file = dir.resolve("open-quote.csv");
        Files.writeString(file, "id,\"text\n1,2\n");

        assertThatThrownBy(() -> FileRows.open(file))
                .isInstanceOf(IOException.class)
                .hasMessage(
                        file
                                + ": line 1: a quoted field is not closed, expected a CSV header line");
    }

    @Test
    void refusesAFileOfUnknownFormatOrThatDoesNotExist() {
        assertThatThrownBy(() -> FileRows.open(dir.resolve("x.parquet")))
                .hasMessageContaining("unknown format");
        assertThatThrownBy(() -> FileRows.open(dir.resolve("missing.csv")))
                .hasMessageContaining("no such file");
    }
}
