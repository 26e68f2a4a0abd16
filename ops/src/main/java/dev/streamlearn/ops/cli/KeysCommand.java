package dev.streamlearn.ops.cli;

import dev.streamlearn.models.version.KeyFiles;
import dev.streamlearn.models.version.SigningKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamlearn keys}: the key pairs trainers sign model versions with. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Manages the keys that sign model versions (README, \"Model signing\").",
        subcommands = {KeysCommand.Create.class})
final class KeysCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Creates an Ed25519 key pair, DIR/NAME.key (private, for the trainer's",
                "--signing-key) and DIR/NAME.pub (for the --trusted-keys of scorers and",
                "dashboards); keeps a pair that is already there."
            })
    static final class Create implements Callable<Integer> {
        @Option(
                names = "--dir",
                paramLabel = "DIR",
                required = true,
                description = "Where the pair goes (created if absent).")
        Path dir;

        @Option(
                names = "--name",
                defaultValue = KeyFiles.LOCAL_KEY_NAME,
                description =
                        "File name of the pair, without extension (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(
                names = "--public-dir",
                paramLabel = "DIR",
                description = "Also copy NAME.pub here: the directory scorers trust.")
        Path publicDir;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            Path keyFile = dir.resolve(name + ".key");
            boolean existed = Files.exists(keyFile);
            SigningKey key = KeyFiles.createIfAbsent(dir, name);
            Path pub = dir.resolve(name + ".pub");
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "%s key %s: private key %s (--signing-key), public key %s (--trusted-keys %s)%n",
                    existed ? "Kept" : "Created", key.keyId(), keyFile, pub, dir);
            if (publicDir != null) {
                try {
                    Files.createDirectories(publicDir);
                    Files.copy(
                            pub,
                            publicDir.resolve(pub.getFileName()),
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot copy " + pub + " to " + publicDir, e);
                }
                out.printf("Copied %s to %s%n", pub.getFileName(), publicDir);
            }
            out.flush();
            return 0;
        }
    }
}
