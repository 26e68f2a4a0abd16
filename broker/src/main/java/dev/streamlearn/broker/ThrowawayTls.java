package dev.streamlearn.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority and what a TLS listener on 127.0.0.1 needs from it, made with
 * the JDK's {@code keytool} (no library of ours issues certificates): {@code ca.crt} (PEM), a
 * PKCS#12 {@code broker.p12} with the broker's key and its certificate signed by the CA (subject
 * alternative names {@code IP:127.0.0.1} and {@code DNS:localhost}, so clients verify the host as
 * by default), and a PKCS#12 {@code truststore.p12} holding the CA for clients. For tests and for
 * trying security out; a real cluster's certificates come from its own CA.
 *
 * @param dir where the files are
 * @param keystore the broker's key and certificate chain
 * @param truststore the CA, for clients ({@code ssl.truststore.location})
 * @param caCertificate the CA in PEM ({@code ssl.truststore.type=PEM} takes it as it is)
 * @param password of both stores
 */
public record ThrowawayTls(
        Path dir, Path keystore, Path truststore, Path caCertificate, String password) {
    private static final String VALIDITY_DAYS = "30";

    /**
     * Makes the CA and the stores in {@code dir} (created if absent), replacing those of an earlier
     * call.
     */
    public static ThrowawayTls create(Path dir) {
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path caStore = dir.resolve("ca.p12");
        Path keystore = dir.resolve("broker.p12");
        Path truststore = dir.resolve("truststore.p12");
        Path caCert = dir.resolve("ca.crt");
        Path request = dir.resolve("broker.csr");
        Path brokerCert = dir.resolve("broker.crt");
        try {
            Files.createDirectories(dir);
            // keytool adds to a store that exists: a CA of an earlier call would stay beside.
            for (Path file : List.of(caStore, keystore, truststore, caCert, request, brokerCert)) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=streamlearn throwaway CA",
                "-ext",
                "bc:c",
                "-validity",
                VALIDITY_DAYS,
                "-keystore",
                caStore,
                "-storetype",
                "PKCS12",
                "-storepass",
                password);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                caStore,
                "-storepass",
                password,
                "-file",
                caCert);
        keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-validity",
                VALIDITY_DAYS,
                "-keystore",
                keystore,
                "-storetype",
                "PKCS12",
                "-storepass",
                password);
        keytool(
                "-certreq",
                "-alias",
                "broker",
                "-keystore",
                keystore,
                "-storepass",
                password,
                "-file",
                request);
        keytool(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                caStore,
                "-storepass",
                password,
                "-infile",
                request,
                "-outfile",
                brokerCert,
                "-validity",
                VALIDITY_DAYS,
                "-ext",
                "SAN=IP:127.0.0.1,DNS:localhost",
                "-ext",
                "EKU=serverAuth");
        // The CA first, so that the signed reply installs as a chain up to it.
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                caCert,
                "-keystore",
                keystore,
                "-storepass",
                password);
        keytool(
                "-importcert",
                "-alias",
                "broker",
                "-file",
                brokerCert,
                "-keystore",
                keystore,
                "-storepass",
                password);
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                caCert,
                "-keystore",
                truststore,
                "-storetype",
                "PKCS12",
                "-storepass",
                password);
        return new ThrowawayTls(dir, keystore, truststore, caCert, password);
    }

    private static void keytool(Object... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        for (Object arg : args) {
            command.add(arg.toString());
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "keytool " + args[0] + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
