package dev.streamlearn.trainer.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.version.KeyFiles;
import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code flink run ... TrainingJobMain --signing-key FILE}: the key the job signs versions with.
 */
class SigningOptionsTest {
    @TempDir Path dir;

    private static TrainingOptions options(String... args) {
        TrainingJobMain main = new TrainingJobMain();
        new CommandLine(main).parseArgs(args);
        return main.signing.applyTo(TrainingOptions.defaults());
    }

    @Test
    void theKeyFileGivenSignsTheJobsVersions() {
        SigningKey key = KeyFiles.createIfAbsent(dir, "trainer");

        TrainingOptions options = options("--signing-key", dir.resolve("trainer.key").toString());

        assertThat(options.signingKey()).isEqualTo(key);
        assertThat(options.ownVersions().keyIds()).containsExactly(key.keyId());
        assertThat(options("--unsigned").signingKey()).isNull();
    }

    @Test
    void neitherOrBothAreRefusedNamingTheOptions() {
        assertThatThrownBy(() -> options())
                .hasMessageContaining("--signing-key FILE")
                .hasMessageContaining("--unsigned");
        assertThatThrownBy(() -> options("--signing-key", "x.key", "--unsigned"))
                .hasMessage("--signing-key and --unsigned: give one of them");
        assertThatThrownBy(() -> options("--signing-key", dir.resolve("absent.key").toString()))
                .hasMessageStartingWith(dir.resolve("absent.key") + ": cannot read it");
    }
}
