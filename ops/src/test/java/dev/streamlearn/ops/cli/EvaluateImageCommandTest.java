package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code evaluate image}: the CNN beside the MLP, the linear model and the majority on MNIST. */
class EvaluateImageCommandTest {
    private static final int DIGITS = 2_000;

    @TempDir Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = StreamlearnCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void evaluatingDigitsReportsTheCnnBesideItsBaselinesAndRejectedRows() throws Exception {
        // Given the first 2,000 digits of the shipped MNIST file, and one row with a bad pixel
        StringBuilder csv = new StringBuilder();
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(
                                        Files.newInputStream(
                                                Path.of("..", "datasets", "mnist-8k.csv.gz"))),
                                StandardCharsets.UTF_8))) {
            for (int line = 0; line <= DIGITS; line++) {
                csv.append(in.readLine()).append('\n');
            }
        }
        csv.append("bad,3,300").append(",0".repeat(783)).append('\n');
        Path file = dir.resolve("digits.csv");
        Files.writeString(file, csv);

        // When it is evaluated with the default network
        int code =
                run(
                        "evaluate",
                        "image",
                        "--file",
                        file.toString(),
                        "--width",
                        "28",
                        "--height",
                        "28",
                        "--spec",
                        "seed=7");

        // Then every digit was tested and learned, and the CNN learned digits
        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("kind").asText()).isEqualTo("cnn-classifier");
        assertThat(json.get("examples").asLong()).isEqualTo(DIGITS);
        assertThat(json.get("spec").get("seed").asText()).isEqualTo("7");
        assertThat(json.get("spec").get("width").asText()).isEqualTo("28");
        assertThat(json.get("model").get("recentAccuracy").asDouble()).isGreaterThan(0.6);
        assertThat(json.get("majority").get("recentAccuracy").asDouble()).isLessThan(0.2);
        assertThat(json.has("mlp")).isTrue();
        assertThat(json.has("baseline")).isTrue();
        assertThat(json.get("rejected").toString()).contains("pixel field 'p0' is '300'");
    }
}
