package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code evaluate text --model attention}: the attention text classifier on a file of texts. */
class EvaluateAttentionCommandTest {
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
    void evaluatesTheAttentionModelOnTheTextsWithItsOwnSpec() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            boolean spam = i % 2 == 0;
            lines.append(
                    String.format(
                            "{\"id\":\"t%d\",\"text\":\"%s\",\"label\":\"%s\"}%n",
                            i,
                            spam ? "win cheap pills now" : "meeting agenda for monday",
                            spam ? "spam" : "ham"));
        }
        Path file = dir.resolve("texts.jsonl");
        Files.writeString(file, lines);

        int code =
                run(
                        "evaluate",
                        "text",
                        "--model",
                        "attention",
                        "--file",
                        file.toString(),
                        "--spec",
                        "dModel=8",
                        "--spec",
                        "heads=2");

        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("kind").asText()).isEqualTo("attention-text-classifier");
        assertThat(json.get("examples").asLong()).isEqualTo(40);
        assertThat(json.get("spec").get("dModel").asText()).isEqualTo("8");
        assertThat(json.get("model").get("accuracy").asDouble()).isGreaterThan(0.5);
    }

    @Test
    void anUnknownModelIsRefusedNamingTheChoices() {
        int code = run("evaluate", "text", "--model", "lstm", "--file", "x.jsonl");

        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("--model lstm: expected text or attention");
    }
}
