package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.version.KeyFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 18, signed versions, at the command line: {@code keys create} makes a pair, and the
 * commands that read or write versions refuse to start without being told whom to trust or what to
 * sign with, before they talk to Kafka (no broker runs here).
 */
class SigningCommandsTest {
    @TempDir Path dir;

    @Test
    void keysCreateMakesAPairOnceAndCopiesThePublicKeyWhereScorersLook() throws Exception {
        Path keys = dir.resolve("keys");
        Path trusted = dir.resolve("trusted");

        Result first =
                run("keys", "create", "--dir", keys.toString(), "--public-dir", trusted.toString());
        Result again = run("keys", "create", "--dir", keys.toString());

        String id = KeyFiles.readSigningKey(keys.resolve("signing.key")).keyId();
        assertThat(first.exit).as(first.err).isZero();
        assertThat(first.out).startsWith("Created key " + id);
        assertThat(again.out).startsWith("Kept key " + id);
        assertThat(Files.readString(trusted.resolve("signing.pub")))
                .isEqualTo(Files.readString(keys.resolve("signing.pub")))
                .startsWith("-----BEGIN PUBLIC KEY-----");
    }

    @Test
    void aScorerWithoutTrustedKeysOrAllowUnsignedIsRefused() {
        Result result = run("score", "--bootstrap", "127.0.0.1:1");

        assertThat(result.exit).isEqualTo(UserErrorHandler.FAILED);
        assertThat(result.err)
                .contains("score: which model versions to trust is not set")
                .contains("--trusted-keys DIR")
                .contains("--allow-unsigned");
    }

    @Test
    void aTrustedKeysDirectoryWithoutKeysIsRefusedNamingIt() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        Result result =
                run("dashboard", "--bootstrap", "127.0.0.1:1", "--trusted-keys", empty.toString());

        assertThat(result.exit).isEqualTo(UserErrorHandler.FAILED);
        assertThat(result.err).contains("--trusted-keys " + empty + ": no *.pub file in it");
    }

    @Test
    void aTrainerWithoutASigningKeyOrUnsignedIsRefused() {
        Result result = run("train", "--bootstrap", "127.0.0.1:1");

        assertThat(result.exit).isEqualTo(UserErrorHandler.FAILED);
        assertThat(result.err)
                .contains("train: no key to sign versions with")
                .contains("--signing-key FILE")
                .contains("--unsigned");
    }

    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
