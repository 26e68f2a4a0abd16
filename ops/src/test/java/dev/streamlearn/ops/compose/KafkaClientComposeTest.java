package dev.streamlearn.ops.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streamlearn.ops.cli.StreamlearnCommand;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.kafka-client.yml, layered over docker-compose.yml, is valid for docker-compose and
 * gives every streamlearn service, and the trainer's job, a client properties file of its own
 * ({@code --config}) from the mounted directory, which the Flink processes mount too.
 */
class KafkaClientComposeTest {
    private static final String DIR = "/etc/streamlearn/kafka-client/";

    @Test
    void everyPartGetsItsOwnClientPropertiesFile() throws Exception {
        assumeTrue(
                Files.isExecutable(ComposeFilesTest.DOCKER_COMPOSE),
                "docker-compose is not installed (apt-get install docker-compose): skipping");
        ComposeFilesTest.Run config =
                ComposeFilesTest.run(
                        ComposeFilesTest.DOCKER_COMPOSE.toString(),
                        "-f",
                        ComposeFilesTest.REPO_ROOT.resolve("docker-compose.yml").toString(),
                        "-f",
                        ComposeFilesTest.REPO_ROOT
                                .resolve("docker-compose.kafka-client.yml")
                                .toString(),
                        "config");
        assertThat(config.exit()).as(config.output()).isZero();

        Map<String, List<String>> commands = ComposeFilesTest.streamlearnCommands(config.output());
        Map<String, String> files =
                Map.of(
                        "topics", "topics.properties",
                        "normalizer", "normalizer.properties",
                        "scorer-1", "scorer.properties",
                        "scorer-2", "scorer.properties",
                        "dashboard", "dashboard.properties",
                        "ingest-text", "ingest.properties");
        // Every service on the project's image but `keys`, which makes the signing key pair
        // and opens no Kafka client.
        assertThat(commands).containsOnlyKeys(union(files.keySet(), "keys"));
        assertThat(commands.get("keys")).doesNotContain("--config");
        files.forEach(
                (service, file) -> {
                    List<String> args = commands.get(service);
                    assertThat(args).as(service).containsSubsequence("--config", DIR + file);
                    assertThatCode(
                                    () ->
                                            StreamlearnCommand.newCommandLine()
                                                    .parseArgs(args.toArray(String[]::new)))
                            .as("%s: streamlearn %s", service, String.join(" ", args))
                            .doesNotThrowAnyException();
                });
        assertThat(config.output())
                .contains("--config " + DIR + "trainer.properties")
                .containsPattern(
                        "(?s)  jobmanager:.*?volumes:\\n    - \\S+:/etc/streamlearn/kafka-client:ro")
                .containsPattern(
                        "(?s)  taskmanager:.*?volumes:\\n    - \\S+:/etc/streamlearn/kafka-client:ro");
    }

    private static Set<String> union(Set<String> set, String one) {
        Set<String> all = new HashSet<>(set);
        all.add(one);
        return all;
    }
}
