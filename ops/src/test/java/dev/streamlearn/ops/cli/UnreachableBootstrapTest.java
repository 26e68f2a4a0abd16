package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A wrong --bootstrap must end in a clear error within 10 s, not a client retrying forever. */
class UnreachableBootstrapTest {

    @Test
    void topicsCreateAgainstNoBrokerFailsWithinTenSecondsNamingTheAddress() throws IOException {
        String nobody = "127.0.0.1:" + portWithNobodyListening();
        StringWriter err = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.newCommandLine();
        commandLine.setErr(new PrintWriter(err));

        int exit =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(10),
                        () -> commandLine.execute("topics", "create", "--bootstrap", nobody));

        assertThat(exit).isEqualTo(UserErrorHandler.FAILED);
        assertThat(err.toString()).contains("cannot reach Kafka at --bootstrap " + nobody);
    }

    private static int portWithNobodyListening() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
