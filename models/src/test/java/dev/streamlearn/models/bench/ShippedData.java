package dev.streamlearn.models.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Slices of the data sets shipped in the repository's {@code datasets/} folder, read without the
 * ingestion module (the benchmarks need only {@code models}): mails as ingestion maps them (subject
 * and body joined by a blank line), and one column of a CSV of numbers.
 */
final class ShippedData {
    private ShippedData() {}

    /** {@code datasets/} from the repository root or from a module directory. */
    static Path path(String name) {
        for (Path dir : List.of(Path.of("datasets"), Path.of("..", "datasets"))) {
            if (Files.isDirectory(dir)) {
                return dir.resolve(name);
            }
        }
        throw new IllegalStateException(
                "no datasets/ folder in "
                        + Path.of("").toAbsolutePath()
                        + " or its parent: run from the repository root or a module directory");
    }

    /** The text of the first {@code n} SpamAssassin mails, in file order. */
    static List<String> mails(int n) {
        ObjectMapper json = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(
                                        Files.newInputStream(path("spamassassin.jsonl.gz"))),
                                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine();
                    line != null && texts.size() < n;
                    line = lines.readLine()) {
                JsonNode mail = json.readTree(line);
                texts.add(mail.path("subject").asText() + "\n\n" + mail.path("text").asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return texts;
    }

    /** The first {@code n} values of column {@code column} of a CSV with a header row. */
    static double[] column(String file, String column, int n) {
        try {
            List<String> lines = Files.readAllLines(path(file));
            int index = List.of(lines.get(0).split(",")).indexOf(column);
            if (index < 0) {
                throw new IllegalArgumentException(file + " has no column '" + column + "'");
            }
            return lines.stream()
                    .skip(1)
                    .limit(n)
                    .mapToDouble(l -> Double.parseDouble(l.split(",")[index]))
                    .toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
