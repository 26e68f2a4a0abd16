package dev.streamlearn.broker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ways a start is refused before any broker code runs. */
class EmbeddedKafkaBrokerTest {
    @TempDir Path dir;

    @Test
    void aPortAlreadyInUseIsNamedInTheError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(dir.resolve("data"), port))
                    .isInstanceOf(BrokerStartException.class)
                    .hasMessageContaining("port " + port + " on 127.0.0.1 is already in use");
        }
    }

    @Test
    void aDirectoryHoldingSomethingElseIsRefused() throws IOException {
        Files.writeString(dir.resolve("thesis.tex"), "\\documentclass{article}");

        assertThatThrownBy(() -> EmbeddedKafkaBroker.start(dir, 0))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("--data-dir " + dir)
                .hasMessageContaining("is not a streamlearn broker's data directory");
    }

    @Test
    void aFileIsRefusedAsDataDirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("broker"), "x");

        assertThatThrownBy(() -> EmbeddedKafkaBroker.start(file, 0))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("is a file, expected a directory");
    }
}
