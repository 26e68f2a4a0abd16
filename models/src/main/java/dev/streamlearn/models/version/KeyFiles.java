package dev.streamlearn.models.version;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Key files: a trainer's private key file ({@code NAME.key}: a PEM {@code PRIVATE KEY} block,
 * PKCS#8, followed by its {@code PUBLIC KEY} block, X.509; or the PKCS#8 bytes base64'd with the
 * public key in {@code NAME.pub} beside it) and the public key files a reader trusts ({@code
 * *.pub}: a PEM {@code PUBLIC KEY} block, or the X.509 bytes base64'd), as {@code openssl genpkey
 * -algorithm ed25519} and {@code openssl pkey -pubout} write them.
 */
public final class KeyFiles {
    /** The name {@code local} gives the key pair it creates in its data directory. */
    public static final String LOCAL_KEY_NAME = "signing";

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]*)-----END \\1-----");

    private KeyFiles() {}

    /**
     * Reads a trainer's key pair from its private key file.
     *
     * @throws IllegalArgumentException naming the file and what it lacks
     */
    public static SigningKey readSigningKey(Path keyFile) {
        String text = read(keyFile);
        byte[] pkcs8 =
                block(text, "PRIVATE KEY")
                        .or(() -> bare(text))
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                keyFile
                                                        + ": expected a PEM PRIVATE KEY block"
                                                        + " (PKCS#8) or its bytes base64'd"));
        PublicKeyId publicKey;
        Optional<byte[]> inFile = block(text, "PUBLIC KEY");
        Path beside = publicKeyBeside(keyFile);
        try {
            publicKey =
                    inFile.isPresent()
                            ? PublicKeyId.decode(inFile.get())
                            : Files.exists(beside) ? readPublicKey(beside) : null;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(keyFile + ": " + e.getMessage(), e);
        }
        if (publicKey == null) {
            throw new IllegalArgumentException(
                    keyFile
                            + ": no public key; a version names its signer by the public key's"
                            + " id, so put it in a PUBLIC KEY block of this file or in "
                            + beside);
        }
        try {
            return SigningKey.of(pkcs8, publicKey.key());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(keyFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one public key file.
     *
     * @throws IllegalArgumentException naming the file, if it holds no Ed25519 public key
     */
    public static PublicKeyId readPublicKey(Path pubFile) {
        String text = read(pubFile);
        byte[] x509 =
                block(text, "PUBLIC KEY")
                        .or(() -> bare(text))
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                pubFile
                                                        + ": expected a PEM PUBLIC KEY block"
                                                        + " (X.509) or its bytes base64'd"));
        try {
            return PublicKeyId.decode(x509);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(pubFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every {@code *.pub} file in {@code dir}, sorted by name.
     *
     * @throws IllegalArgumentException if {@code dir} is not a directory, or a file in it is not a
     *     public key
     */
    public static List<PublicKeyId> readPublicKeys(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    dir + ": not a directory (expected one holding trusted *.pub files)");
        }
        List<PublicKeyId> keys = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".pub")).sorted().toList()) {
                keys.add(readPublicKey(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return keys;
    }

    /**
     * The key pair {@code dir/NAME.key}, created with {@code dir/NAME.pub} (and {@code dir}) when
     * absent; the private key file is readable by its owner only where the file system says so.
     */
    public static SigningKey createIfAbsent(Path dir, String name) {
        Path keyFile = dir.resolve(name + ".key");
        if (Files.exists(keyFile)) {
            return readSigningKey(keyFile);
        }
        SigningKey key = SigningKey.generate();
        try {
            Files.createDirectories(dir);
            String pub = pem("PUBLIC KEY", key.publicKey().getEncoded());
            writeNew(keyFile, pem("PRIVATE KEY", key.privateKeyEncoded()) + pub, true);
            Files.writeString(dir.resolve(name + ".pub"), pub, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a key pair to " + dir, e);
        }
        return key;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }

    private static void writeNew(Path file, String text, boolean ownerOnly) throws IOException {
        if (ownerOnly && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
        } else if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        Files.writeString(
                file,
                text,
                StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    private static Path publicKeyBeside(Path keyFile) {
        String name = keyFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return keyFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".pub");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it (" + e + ")", e);
        }
    }

    private static Optional<byte[]> block(String text, String type) {
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                return Optional.of(base64(m.group(2)));
            }
        }
        return Optional.empty();
    }

    /** The whole file as base64, if it holds no PEM armour at all. */
    private static Optional<byte[]> bare(String text) {
        if (text.contains("-----")) {
            return Optional.empty();
        }
        try {
            return Optional.of(base64(text));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    private static byte[] base64(String text) {
        return Base64.getMimeDecoder().decode(text.strip());
    }
}
