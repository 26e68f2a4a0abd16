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

class EvaluateCommandTest {
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
    void evaluatingASeriesFilePrintsOneJsonObjectWithMetricsBaselineAucAndRejectedRows()
            throws Exception {
        StringBuilder csv = new StringBuilder("t,sensor,reading,anomaly\n");
        for (int i = 0; i < 60; i++) {
            boolean spike = i % 15 == 14;
            csv.append(i)
                    .append(',')
                    .append(i % 2 == 0 ? "a" : "b")
                    .append(',')
                    .append(spike ? 90 : 20 + (i % 3))
                    .append(',')
                    .append(spike ? 1 : 0)
                    .append('\n');
        }
        csv.append("60,a,,0\n");
        Path file = dir.resolve("readings.csv");
        Files.writeString(file, csv);

        int code =
                run(
                        "evaluate",
                        "series",
                        "--file",
                        file.toString(),
                        "--series-field",
                        "sensor",
                        "--value-field",
                        "reading",
                        "--time-field",
                        "t",
                        "--anomaly-label-field",
                        "anomaly",
                        "--spec",
                        "window=4",
                        "--spec",
                        "hiddenSize=4");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().strip().lines()).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("examples").asLong()).isEqualTo(60 - 2 * 4);
        assertThat(json.get("series").asInt()).isEqualTo(2);
        assertThat(json.get("model").has("mae")).isTrue();
        assertThat(json.get("baseline").has("rmse")).isTrue();
        assertThat(json.get("examplesPerSecond").asDouble()).isPositive();
        assertThat(json.get("anomalyAuc").isNumber()).isTrue();
        assertThat(json.get("persistenceAnomalyAuc").isNumber()).isTrue();
        JsonNode baselines = json.get("baselines");
        assertThat(baselines.get("persistence").get("mae").asDouble())
                .isEqualTo(json.get("baseline").get("mae").asDouble());
        assertThat(baselines.get("seasonalNaive").has("mae")).isTrue();
        assertThat(baselines.get("autoRegression").get("order").asInt()).isEqualTo(4);
        assertThat(baselines.get("autoRegression").get("forgettingFactor").asDouble())
                .isEqualTo(1.0);
        assertThat(json.get("mase").get("seasonalNaive").asDouble()).isEqualTo(1.0);
        assertThat(json.get("mase").get("model").asDouble())
                .isCloseTo(
                        json.get("model").get("mae").asDouble()
                                / baselines.get("seasonalNaive").get("mae").asDouble(),
                        org.assertj.core.api.Assertions.within(1e-12));
        // 30 points per series: too few to look for a season, so each is still pending at 1
        assertThat(json.get("season").get("seriesBySeason").get("1 pending").asInt()).isEqualTo(2);
        JsonNode a = json.get("perSeries").get("a");
        assertThat(a.get("examples").asLong()).isEqualTo(30 - 4);
        assertThat(a.get("seasonSource").asText()).isEqualTo("pending");
        assertThat(a.get("mae").has("autoRegression")).isTrue();
        assertThat(a.get("mase").has("persistence")).isTrue();
        assertThat(json.get("rejected").get("count").asLong()).isEqualTo(1);
        assertThat(json.get("rejected").get("first").get(0).asText())
                .isEqualTo(file + ":62: value field 'reading' is missing or empty");
    }

    @Test
    void aDeclaredSeasonIsTheSeasonalNaiveBaselinesAndIsExactOnAPeriodicSeries() throws Exception {
        StringBuilder csv = new StringBuilder("t,reading\n");
        double[] cycle = {3, 9, 4, 7, 1};
        for (int i = 0; i < 80; i++) {
            csv.append(i).append(',').append(cycle[i % 5]).append('\n');
        }
        Path file = dir.resolve("cycle.csv");
        Files.writeString(file, csv);

        int code =
                run(
                        "evaluate",
                        "series",
                        "--file",
                        file.toString(),
                        "--value-field",
                        "reading",
                        "--season",
                        "5",
                        "--ar-order",
                        "6",
                        "--spec",
                        "window=8",
                        "--spec",
                        "hiddenSize=4");

        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("season").get("declared").asInt()).isEqualTo(5);
        assertThat(json.get("season").get("seriesBySeason").get("5 declared").asInt()).isEqualTo(1);
        assertThat(json.get("baselines").get("seasonalNaive").get("mae").asDouble()).isZero();
        assertThat(json.get("baselines").get("autoRegression").get("order").asInt()).isEqualTo(6);
        // MASE against a perfect seasonal naive is undefined: null, never Infinity
        assertThat(json.get("mase").get("model").isNull()).isTrue();
    }

    @Test
    void aSeasonBelowOneIsAUsageErrorNamingIt() {
        int code = run("evaluate", "series", "--file", "x.csv", "--season", "0");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("--season: 0, expected >= 1");
    }

    @Test
    void evaluatingATextFileJoinsTextFieldsAndReportsAccuracyAndLogLoss() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            jsonl.append(
                    i % 3 == 0
                            ? "{\"id\":\""
                                    + i
                                    + "\",\"subject\":\"WIN money\",\"body\":\"cheap pills now\",\"kind\":\"spam\"}\n"
                            : "{\"id\":\""
                                    + i
                                    + "\",\"subject\":\"meeting\",\"body\":\"see the agenda\",\"kind\":\"ham\"}\n");
        }
        jsonl.append("not json\n");
        Path file = dir.resolve("mail.jsonl");
        Files.writeString(file, jsonl);

        int code =
                run(
                        "evaluate",
                        "text",
                        "--file",
                        file.toString(),
                        "--text-field",
                        "subject,body",
                        "--label-field",
                        "kind",
                        "--spec",
                        "vocabSize=1024",
                        "--spec",
                        "embeddingSize=8",
                        "--max-labels",
                        "4");

        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("examples").asLong()).isEqualTo(24);
        assertThat(json.get("model").has("accuracy")).isTrue();
        assertThat(json.get("baseline").has("logLoss")).isTrue();
        assertThat(json.get("spec").get("labels").asText()).isEqualTo("spam,ham");
        assertThat(json.get("spec").get("maxLabels").asText()).isEqualTo("4");
        assertThat(json.get("rejected").get("first").get(0).asText())
                .startsWith(file + ":25: is not valid JSON");
    }

    @Test
    void anInvalidHyperParameterIsAUsageErrorNamingIt() {
        int code = run("evaluate", "text", "--file", "x.jsonl", "--spec", "vocabSize=1000");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("vocabSize = 1000 must be a power of two");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        int code = run("evaluate", "series", "--file", dir.resolve("nope.csv").toString());
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("nope.csv: no such file");
    }
}
