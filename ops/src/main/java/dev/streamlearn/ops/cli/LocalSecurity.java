package dev.streamlearn.ops.cli;

import dev.streamlearn.broker.BrokerSecurity;
import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.broker.ThrowawayTls;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * What {@code streamlearn broker --sasl-ssl DIR} keeps in DIR: a throwaway CA and the broker's key
 * store ({@code tls/}, made anew at each start), the super user {@value #ADMIN}'s password (kept,
 * as the user lives in the broker's metadata), and {@code admin.properties}, that user's client
 * properties file. Clients trust the CA as PEM ({@code tls/ca.crt}), so their files keep working
 * when a restart makes a new one.
 */
record LocalSecurity(Path dir, ThrowawayTls tls, String adminPassword) {
    static final String ADMIN = "admin";

    static LocalSecurity prepare(Path dir) {
        try {
            Files.createDirectories(dir);
            Path passwordFile = dir.resolve(ADMIN + ".password");
            if (!Files.exists(passwordFile)) {
                byte[] secret = new byte[18];
                new SecureRandom().nextBytes(secret);
                writeOwnerOnly(passwordFile, HexFormat.of().formatHex(secret));
            }
            String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            return new LocalSecurity(dir, ThrowawayTls.create(dir.resolve("tls")), password);
        } catch (IOException e) {
            throw new UncheckedIOException("--sasl-ssl " + dir + ": " + e.getMessage(), e);
        }
    }

    BrokerSecurity broker() {
        return BrokerSecurity.saslSsl(tls, ADMIN);
    }

    Path adminProperties() {
        return dir.resolve(ADMIN + ".properties").toAbsolutePath();
    }

    /** Creates the super user on {@code broker} and writes its file; returns its connection. */
    KafkaConnection admin(EmbeddedKafkaBroker broker) {
        broker.createScramUser(ADMIN, adminPassword);
        try {
            writeOwnerOnly(
                    adminProperties(),
                    String.join(
                            "\n",
                            "security.protocol=SASL_SSL",
                            "sasl.mechanism=" + BrokerSecurity.CLIENT_MECHANISM,
                            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                                    + " required username=\""
                                    + ADMIN
                                    + "\" password=\""
                                    + adminPassword
                                    + "\";",
                            "ssl.truststore.type=PEM",
                            "ssl.truststore.location=" + tls.caCertificate().toAbsolutePath(),
                            ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + adminProperties(), e);
        }
        return KafkaConnection.load(broker.bootstrapServers(), adminProperties());
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(
                file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
