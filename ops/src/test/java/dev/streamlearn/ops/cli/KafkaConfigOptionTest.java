package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command that talks to Kafka takes {@code --config FILE}, and reads it before it opens a
 * client: a missing file, or one that sets what is not a connection setting, is refused naming the
 * file, with no broker needed.
 */
class KafkaConfigOptionTest {
    @TempDir static Path dir;

    /** Each command with what it needs besides --config to get as far as connecting. */
    static Stream<List<String>> commandsThatTalkToKafka() throws IOException {
        Path rows = Files.writeString(dir.resolve("mails.jsonl"), "{\"text\":\"hi\"}\n");
        return Stream.of(
                List.of("topics", "create"),
                List.of("tail", "text-scores"),
                List.of("ingest", "text", "--file", rows.toString(), "--metrics-port", "-1"),
                List.of("generate", "text", "--count", "1"),
                List.of("normalize", "--metrics-port", "-1"),
                List.of("score", "--allow-unsigned", "--metrics-port", "-1"),
                List.of("train", "--unsigned", "--metrics-port", "-1"),
                List.of("dashboard", "--allow-unsigned", "--port", "0"),
                List.of("models", "list", "--allow-unsigned"),
                List.of("models", "pin", "text-classifier", "1", "--allow-unsigned"));
    }

    @ParameterizedTest
    @MethodSource("commandsThatTalkToKafka")
    void aMissingConfigFileIsRefusedNamingIt(List<String> command) {
        Path missing = dir.resolve("no-such-client.properties");

        Result result = run(command, missing);

        assertThat(result.exit()).as(result.err()).isEqualTo(UserErrorHandler.FAILED);
        assertThat(result.err())
                .contains("cannot read Kafka client properties " + missing + ": no such file");
    }

    @ParameterizedTest
    @MethodSource("commandsThatTalkToKafka")
    void aSettingOtherThanAConnectionSettingIsRefusedNamingIt(List<String> command)
            throws IOException {
        if (command.get(0).equals("score")) {
            return; // the scorer's file is its Kafka Streams configuration too
        }
        Path file =
                Files.writeString(
                        dir.resolve("client.properties"),
                        "security.protocol=SASL_SSL\ntransactional.id=mine\n");

        Result result = run(command, file);

        assertThat(result.exit()).as(result.err()).isEqualTo(UserErrorHandler.FAILED);
        assertThat(result.err()).contains(file.toString(), "[transactional.id]");
    }

    private record Result(int exit, String err) {}

    private static Result run(List<String> command, Path config) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.newCommandLine();
        commandLine.setErr(new PrintWriter(err));
        commandLine.setOut(new PrintWriter(new StringWriter()));
        List<String> args = new ArrayList<>(command);
        // Nobody listens there: a command that connected before reading --config would fail
        // with another message.
        args.addAll(List.of("--bootstrap", "127.0.0.1:1", "--config", config.toString()));
        int exit =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(30),
                        () -> commandLine.execute(args.toArray(String[]::new)));
        return new Result(exit, err.toString());
    }
}
