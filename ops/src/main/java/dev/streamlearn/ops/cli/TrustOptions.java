package dev.streamlearn.ops.cli;

import dev.streamlearn.models.version.KeyFiles;
import dev.streamlearn.models.version.PublicKeyId;
import dev.streamlearn.models.version.VersionTrust;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Whose model versions a reader of {@code model-versions} serves or shows ({@code score}, {@code
 * dashboard}, {@code models}): the trainers' public keys in a directory, and whether unsigned
 * versions pass too. Neither given is refused rather than guessed, since serving unsigned weights
 * lets anyone who can write to the topic choose the scores (README, "Model signing"). A picocli
 * mixin.
 */
final class TrustOptions {
    @Option(
            names = "--trusted-keys",
            paramLabel = "DIR",
            description =
                    "Directory of the trainers' public keys (*.pub, PEM or base64 X.509): only"
                            + " versions signed by one of them serve. Several keys let a trainer's"
                            + " key be rotated.")
    Path trustedKeys;

    @Option(
            names = "--allow-unsigned",
            description =
                    "Also serve unsigned versions (from trainers without --signing-key, or from"
                            + " before signing). Anyone who can write to model-versions can then"
                            + " choose the weights.")
    boolean allowUnsigned;

    /**
     * The trust these options describe.
     *
     * @throws IllegalArgumentException naming the options, when neither is given or the directory
     *     holds no key
     */
    VersionTrust trust() {
        List<PublicKeyId> keys =
                trustedKeys == null ? List.of() : KeyFiles.readPublicKeys(trustedKeys);
        if (allowUnsigned) {
            return VersionTrust.unsignedAllowed(keys);
        }
        if (trustedKeys == null) {
            throw new IllegalArgumentException(
                    "which model versions to trust is not set: give --trusted-keys DIR (the"
                            + " trainers' *.pub files; `streamlearn keys create` makes a pair) or"
                            + " --allow-unsigned");
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(
                    "--trusted-keys "
                            + trustedKeys
                            + ": no *.pub file in it, so no version would serve");
        }
        return VersionTrust.signedBy(keys);
    }
}
