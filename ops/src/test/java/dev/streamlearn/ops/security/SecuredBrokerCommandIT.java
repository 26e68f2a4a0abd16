package dev.streamlearn.ops.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.ops.process.StreamlearnProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamlearn broker --sasl-ssl DIR}: a client needs the super user's file the broker
 * writes, and that file still works after a restart (the password is kept, the CA is new).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SecuredBrokerCommandIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final List<String> SMALL_JVM = List.of("-Xmx384m");

    @TempDir Path dir;

    @Test
    void onlyAClientWithTheAdminFileGetsInAndTheFileOutlivesARestart() throws Exception {
        int port = freePort();
        String bootstrap = "127.0.0.1:" + port;
        Path security = dir.resolve("security");
        Path admin = security.resolve("admin.properties");
        for (int start = 1; start <= 2; start++) {
            try (StreamlearnProcess broker =
                    StreamlearnProcess.start(
                            List.of("-Xmx512m"),
                            "broker",
                            "--port",
                            Integer.toString(port),
                            "--data-dir",
                            dir.resolve("kafka").toString(),
                            "--sasl-ssl",
                            security.toString())) {
                broker.awaitLine("Kafka broker ready at " + bootstrap, START);
                assertThat(broker.awaitLine("SASL_SSL", START)).contains(admin.toString());

                try (StreamlearnProcess topics =
                        StreamlearnProcess.start(
                                SMALL_JVM,
                                "topics",
                                "create",
                                "--bootstrap",
                                bootstrap,
                                "--config",
                                admin.toString())) {
                    assertThat(topics.awaitExit(START)).as(topics.stderr()).isZero();
                }
                if (start == 1) {
                    try (StreamlearnProcess plaintext =
                            StreamlearnProcess.start(
                                    SMALL_JVM, "topics", "create", "--bootstrap", bootstrap)) {
                        assertThat(plaintext.awaitExit(START)).isEqualTo(1);
                    }
                }
                // 143 = 128 + SIGTERM: the JVM's own exit code after running its shutdown hooks.
                assertThat(broker.stop(START)).isEqualTo(143);
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
