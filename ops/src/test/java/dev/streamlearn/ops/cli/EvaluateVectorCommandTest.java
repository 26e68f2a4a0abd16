package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.ingestion.generate.SyntheticXor;
import dev.streamlearn.schemas.avro.VectorEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code evaluate vector}: the MLP beside the online linear model on a CSV of XOR points. */
class EvaluateVectorCommandTest {
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
    void evaluatingXorPointsReportsTheMlpBesideTheLinearBaselineAndRejectedRows() throws Exception {
        // Given 4,000 noisy XOR points as CSV, and one row without a number
        StringBuilder csv = new StringBuilder("id,x1,x2,label\n");
        SyntheticXor xor = new SyntheticXor(1, 4_000, 0.3);
        while (xor.hasNext()) {
            VectorEvent e = xor.next();
            csv.append(e.getId())
                    .append(',')
                    .append(e.getFeatures().get(0))
                    .append(',')
                    .append(e.getFeatures().get(1))
                    .append(',')
                    .append(e.getLabel())
                    .append('\n');
        }
        csv.append("bad,n/a,1,same\n");
        Path file = dir.resolve("xor.csv");
        Files.writeString(file, csv);

        // When it is evaluated with the features given as a range
        int code =
                run("evaluate", "vector", "--file", file.toString(), "--feature-fields", "x1-x2");

        // Then the MLP has learned XOR and the line has not
        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("kind").asText()).isEqualTo("mlp-classifier");
        assertThat(json.get("examples").asLong()).isEqualTo(4_000);
        assertThat(json.get("model").get("recentAccuracy").asDouble()).isGreaterThan(0.95);
        assertThat(json.get("baseline").get("recentAccuracy").asDouble()).isLessThan(0.75);
        assertThat(json.get("rejected").toString()).contains("feature field 'x1' is 'n/a'");
        assertThat(json.get("spec").get("inputs").asText()).isEqualTo("2");
    }
}
