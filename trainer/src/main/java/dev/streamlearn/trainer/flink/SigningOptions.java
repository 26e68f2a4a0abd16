package dev.streamlearn.trainer.flink;

import dev.streamlearn.models.version.KeyFiles;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of the commands that run the training job on their own ({@code train}, {@code flink
 * run ... TrainingJobMain}) that say which key signs its versions. Without either, the job is
 * refused: unsigned versions serve only on scorers started with {@code --allow-unsigned}, which is
 * a choice to make, not a default to stumble into. ({@code local} keeps its key pair in its data
 * directory instead.) A picocli mixin.
 */
public final class SigningOptions {
    @Option(
            names = "--signing-key",
            paramLabel = "FILE",
            description =
                    "The trainer's Ed25519 private key (PEM PKCS#8, with its PUBLIC KEY block or"
                            + " FILE's .pub beside it; `streamlearn keys create` makes a pair):"
                            + " every version is signed with it.")
    Path signingKey;

    @Option(
            names = "--unsigned",
            description =
                    "Publish unsigned versions; only scorers started with --allow-unsigned serve"
                            + " them.")
    boolean unsigned;

    /**
     * {@code options} signing with the key given.
     *
     * @throws IllegalArgumentException naming the options, when neither or both are given, or the
     *     key file cannot be used
     */
    public TrainingOptions applyTo(TrainingOptions options) {
        if (signingKey != null && unsigned) {
            throw new IllegalArgumentException("--signing-key and --unsigned: give one of them");
        }
        if (unsigned) {
            return options.withSigningKey(null);
        }
        if (signingKey == null) {
            throw new IllegalArgumentException(
                    "no key to sign versions with: give --signing-key FILE (`streamlearn keys"
                            + " create --dir DIR` makes a pair) or --unsigned");
        }
        return options.withSigningKey(KeyFiles.readSigningKey(signingKey));
    }
}
