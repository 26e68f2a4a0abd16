package dev.streamlearn.ops.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.ops.cli.StreamlearnCommand;
import dev.streamlearn.ops.json.AvroJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The deployment files are valid for the tools that will read them: docker-compose.yml at the
 * repository root for docker-compose (Debian's, v1: `config` validates without a Docker engine),
 * and its host paths name files of this repository; promtool for the scrape config under ops/; the
 * Grafana dashboard under ops/ asks only for metrics the project exports (ops/METRICS.md).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ComposeFilesTest {
    static final Path DOCKER_COMPOSE = Path.of("/usr/bin/docker-compose");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    /** Tests run in ops/; the compose file lives one level up, at the repository root. */
    static final Path REPO_ROOT = Path.of("..").toAbsolutePath().normalize();

    private static final Path COMPOSE_FILE = REPO_ROOT.resolve("docker-compose.yml");

    @Test
    void composeFileIsValidAndRunsEveryPartOfThePipeline() throws Exception {
        assumeTrue(
                Files.isExecutable(DOCKER_COMPOSE),
                "docker-compose is not installed (apt-get install docker-compose): skipping");
        Run config =
                run(
                        DOCKER_COMPOSE.toString(),
                        "-f",
                        COMPOSE_FILE.toString(),
                        "config",
                        "--services");
        assertThat(config.exit).as(config.output).isZero();
        assertThat(config.output.lines().toList())
                .contains(
                        "kafka",
                        "topics",
                        "jobmanager",
                        "taskmanager",
                        "trainer-submit",
                        "normalizer",
                        "scorer-1",
                        "scorer-2",
                        "dashboard",
                        "prometheus",
                        "grafana");
    }

    @Test
    void composeFileHostPathsNameFilesOfThisRepository() throws Exception {
        assumeTrue(
                Files.isExecutable(DOCKER_COMPOSE),
                "docker-compose is not installed (apt-get install docker-compose): skipping");
        // `config` prints every relative path resolved against the compose file's directory.
        Run config = run(DOCKER_COMPOSE.toString(), "-f", COMPOSE_FILE.toString(), "config");
        assertThat(config.exit).as(config.output).isZero();
        Set<String> contexts = new TreeSet<>();
        Matcher context = Pattern.compile("(?m)^\\s+context: (\\S+)$").matcher(config.output);
        while (context.find()) {
            contexts.add(context.group(1));
        }
        assertThat(contexts).containsExactly(REPO_ROOT.toString());
        assertThat(REPO_ROOT.resolve("ops/Dockerfile")).isRegularFile();

        Set<Path> mounted = new TreeSet<>();
        Matcher bind = Pattern.compile("(?m)^\\s+- (/[^:\\s]+):/").matcher(config.output);
        while (bind.find()) {
            mounted.add(Path.of(bind.group(1)));
        }
        assertThat(mounted)
                .contains(
                        REPO_ROOT.resolve("ops/prometheus/prometheus.yml"),
                        REPO_ROOT.resolve("ops/grafana/provisioning"),
                        REPO_ROOT.resolve("ops/grafana/dashboards"),
                        REPO_ROOT.resolve("datasets"),
                        REPO_ROOT.resolve("trainer/target"));
        // trainer/target holds the job jar only once built; every other source is in git.
        assertThat(mounted)
                .filteredOn(p -> !p.equals(REPO_ROOT.resolve("trainer/target")))
                .allSatisfy(p -> assertThat(p).exists());
    }

    @Test
    void everyStreamlearnServiceCommandIsOneTheCliAccepts() throws Exception {
        assumeTrue(
                Files.isExecutable(DOCKER_COMPOSE),
                "docker-compose is not installed (apt-get install docker-compose): skipping");
        Run config = run(DOCKER_COMPOSE.toString(), "-f", COMPOSE_FILE.toString(), "config");
        assertThat(config.exit).as(config.output).isZero();
        Map<String, List<String>> commands = streamlearnCommands(config.output);
        assertThat(commands.keySet())
                .contains(
                        "topics", "normalizer", "scorer-1", "scorer-2", "dashboard", "ingest-text");
        commands.forEach(
                (service, args) ->
                        assertThatCode(
                                        () ->
                                                StreamlearnCommand.newCommandLine()
                                                        .parseArgs(args.toArray(String[]::new)))
                                .as("%s: streamlearn %s", service, String.join(" ", args))
                                .doesNotThrowAnyException());
    }

    /**
     * The {@code command} of every service on the project's image, from {@code docker-compose
     * config}'s resolved output (two-space services, each command a YAML list of scalars).
     */
    static Map<String, List<String>> streamlearnCommands(String resolved) {
        Map<String, List<String>> commands = new TreeMap<>();
        Matcher top = Pattern.compile("(?m)^services:$").matcher(resolved);
        assertThat(top.find()).as("a services: section in " + resolved).isTrue();
        String services = resolved.substring(top.end());
        Matcher service = Pattern.compile("(?m)^  ([a-z0-9-]+):$").matcher(services);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (service.find()) {
            starts.add(new int[] {service.start(), service.end()});
            names.add(service.group(1));
        }
        for (int i = 0; i < names.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : services.length();
            String block = services.substring(starts.get(i)[1], end);
            if (!block.contains("image: streamlearn:latest")) {
                continue;
            }
            Matcher command =
                    Pattern.compile("(?m)^    command:\\n((?:    - .*\\n)+)").matcher(block);
            assertThat(command.find()).as("a command list for " + names.get(i)).isTrue();
            commands.put(
                    names.get(i),
                    command.group(1)
                            .lines()
                            .map(l -> l.substring("    - ".length()).replaceAll("^'(.*)'$", "$1"))
                            .toList());
        }
        return commands;
    }

    @Test
    void prometheusScrapeConfigIsValid() throws Exception {
        assumeTrue(
                Files.isExecutable(PROMTOOL),
                "promtool is not installed (apt-get install prometheus): skipping");
        Run check = run(PROMTOOL.toString(), "check", "config", "prometheus/prometheus.yml");
        assertThat(check.exit).as(check.output).isZero();
    }

    @Test
    void grafanaDashboardQueriesOnlyDocumentedMetrics() throws IOException {
        JsonNode dashboard =
                AvroJson.MAPPER.readTree(Path.of("grafana/dashboards/streamlearn.json").toFile());
        String documented = Files.readString(Path.of("METRICS.md"));
        Set<String> queried = new TreeSet<>();
        Pattern metric = Pattern.compile("streamlearn_[a-z_]+");
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher m = metric.matcher(expr.asText());
            while (m.find()) {
                queried.add(m.group());
            }
        }
        assertThat(queried).isNotEmpty();
        assertThat(queried).allSatisfy(name -> assertThat(documented).contains("`" + name + "`"));
        assertThat(dashboard.findValues("uid").stream().map(JsonNode::asText))
                .contains("prometheus");
    }

    @Test
    void grafanaScorerThroughputCountsEveryFamily() throws IOException {
        JsonNode dashboard =
                AvroJson.MAPPER.readTree(Path.of("grafana/dashboards/streamlearn.json").toFile());
        List<String> perInstance =
                dashboard.findValues("expr").stream()
                        .map(JsonNode::asText)
                        .filter(e -> e.contains("streamlearn_scorer_text_scored_total"))
                        .toList();
        assertThat(perInstance).isNotEmpty();
        assertThat(perInstance)
                .allSatisfy(
                        expr ->
                                assertThat(expr)
                                        .contains("streamlearn_scorer_series_scored_total")
                                        .contains("streamlearn_scorer_vector_scored_total")
                                        .contains("streamlearn_scorer_image_scored_total"));
    }

    record Run(int exit, String output) {}

    static Run run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ops-tool-", ".txt");
        try {
            Process process =
                    new ProcessBuilder(List.of(command))
                            .redirectErrorStream(true)
                            .redirectOutput(out.toFile())
                            .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
