package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A bad or taken --metrics-port ends the command at once with one line naming the flag or the
 * address, before it talks to Kafka (no broker runs here).
 */
class MetricsPortTest {

    @Test
    void aScorerMetricsPortOutOfRangeIsRefusedNamingTheFlag() {
        Result result = run("score", "--metrics-port", "70000");

        assertThat(result.exit).isEqualTo(UserErrorHandler.FAILED);
        assertThat(result.err)
                .contains("score: --metrics-port 70000: expected 0-65535, or -1 for no endpoint");
    }

    @Test
    void aTakenNormalizerMetricsPortIsRefusedNamingTheAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            Result result = run("normalize", "--metrics-port", Integer.toString(port));

            assertThat(result.exit).isEqualTo(UserErrorHandler.FAILED);
            assertThat(result.err)
                    .contains("cannot serve the normalizer's metrics on 127.0.0.1:" + port)
                    .contains("choose another port (0 picks a free one)");
        }
    }

    @Test
    void aTrainerMetricsPortOutOfRangeIsRefusedNamingTheFlag() {
        Result result = run("train", "--metrics-port", "-2");

        assertThat(result.exit).isEqualTo(UserErrorHandler.FAILED);
        assertThat(result.err)
                .contains("train: --metrics-port -2: expected 0-65535, or -1 for no endpoint");
    }

    private record Result(int exit, String err) {}

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.newCommandLine();
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args);
        return new Result(exit, err.toString());
    }
}
