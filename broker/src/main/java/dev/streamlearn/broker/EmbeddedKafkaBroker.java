package dev.streamlearn.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Apache Kafka broker in KRaft mode, running inside this JVM and bound to
 * 127.0.0.1 only. It is the same broker code as a Kafka distribution's ({@link KafkaRaftServer}),
 * not a mock: {@code streamlearn broker}, {@code streamlearn local} and every integration test use
 * it.
 *
 * <p>The data directory survives restarts: the first start formats it (as {@code kafka-storage
 * format} would), later starts reuse it with its topics, records and committed offsets.
 *
 * <p>Started with a {@link BrokerSecurity}, its client listener is {@code SASL_SSL} (SCRAM-SHA-512
 * over TLS) and the KRaft {@code StandardAuthorizer} checks every request against ACLs. The broker
 * then talks to itself (controller, transaction markers) over two more loopback listeners with
 * SASL/PLAIN and a password made at each start, as the super user {@value #BROKER_USER}; {@link
 * #superUserAdmin()} uses that to create users and ACLs, as an operator's admin would.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final String LOG_DIR = "kafka-logs";
    private static final String META_PROPERTIES = "meta.properties";
    private static final int NODE_ID = 1;

    /** The broker's own principal on its internal listeners; no client may take this name. */
    public static final String BROKER_USER = "streamlearn-broker";

    private static final String STANDARD_AUTHORIZER =
            "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    private static final Duration VISIBLE_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final int port;
    private final KafkaRaftServer server;
    private final Optional<Internal> internal;
    private boolean stopped;

    /** The internal listener's address and the broker's own password on it. */
    private record Internal(String bootstrap, String password) {}

    private EmbeddedKafkaBroker(
            Path dataDir, int port, KafkaRaftServer server, Optional<Internal> internal) {
        this.dataDir = dataDir;
        this.port = port;
        this.server = server;
        this.internal = internal;
    }

    /**
     * Starts a broker on {@code 127.0.0.1:port} (0 picks a free port) with its data in {@code
     * dataDir}, formatting the directory if it is new or empty. Returns once the broker accepts
     * connections.
     *
     * @throws BrokerStartException if the port is taken or the directory holds something else
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, Optional.empty());
    }

    /**
     * As {@link #start(Path, int)} with a {@code SASL_SSL} client listener and ACLs (see the class
     * comment). No client user exists at first: create them with {@link #createScramUser}.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, BrokerSecurity security) {
        return start(dataDir, port, Optional.of(security));
    }

    private static EmbeddedKafkaBroker start(
            Path dataDir, int port, Optional<BrokerSecurity> security) {
        Path logDir = dataDir.toAbsolutePath().resolve(LOG_DIR);
        boolean formatted = checkDataDir(dataDir.toAbsolutePath(), logDir);
        int brokerPort = port == 0 ? freePort() : requireFreePort(port, "--port");
        // The controller's port changes freely between starts: the quorum is static, one voter.
        int controllerPort = freePort();
        Properties props = brokerProperties(logDir, brokerPort, controllerPort);
        Optional<Internal> internal = Optional.empty();
        if (security.isPresent()) {
            Internal own = new Internal(HOST + ":" + freePort(), newPassword());
            secure(props, security.get(), brokerPort, controllerPort, own);
            internal = Optional.of(own);
        }
        if (!formatted) {
            format(dataDir, props);
        }
        KafkaRaftServer server =
                new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            throw new BrokerStartException(
                    "Kafka broker on "
                            + HOST
                            + ":"
                            + brokerPort
                            + " with data in "
                            + dataDir
                            + " failed to start: "
                            + e.getMessage(),
                    e);
        }
        LOG.info("Kafka broker up on {}:{} with data in {}", HOST, brokerPort, dataDir);
        return new EmbeddedKafkaBroker(dataDir, brokerPort, server, internal);
    }

    /** Whether the client listener is {@code SASL_SSL} with ACLs. */
    public boolean secured() {
        return internal.isPresent();
    }

    /**
     * An admin client on the internal listener as the broker's own super user, for setting up users
     * and ACLs; the caller closes it.
     *
     * @throws IllegalStateException when the broker was started without security
     */
    public Admin superUserAdmin() {
        Internal own =
                internal.orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "the broker on "
                                                + bootstrapServers()
                                                + " runs without security: there is no super"
                                                + " user"));
        return Admin.create(
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, own.bootstrap(),
                        AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                        SaslConfigs.SASL_MECHANISM, "PLAIN",
                        SaslConfigs.SASL_JAAS_CONFIG, plainLogin(own.password(), false),
                        AdminClientConfig.CLIENT_ID_CONFIG, "streamlearn-broker-admin"));
    }

    /**
     * Creates (or changes the password of) the SCRAM-SHA-512 user {@code name}, and returns once
     * the broker knows it, so a client may log in at once.
     */
    public void createScramUser(String name, String password) {
        if (name.equals(BROKER_USER)) {
            throw new IllegalArgumentException(
                    BROKER_USER + " is the broker's own super user; choose another name");
        }
        try (Admin admin = superUserAdmin()) {
            admin.alterUserScramCredentials(
                            List.of(
                                    new UserScramCredentialUpsertion(
                                            name,
                                            new ScramCredentialInfo(
                                                    ScramMechanism.SCRAM_SHA_512, 8192),
                                            password)))
                    .all()
                    .get(VISIBLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            awaitVisible(
                    "the SCRAM user " + name,
                    () ->
                            admin.describeUserScramCredentials(List.of(name))
                                    .all()
                                    .get(VISIBLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                                    .containsKey(name));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("creating the SCRAM user " + name + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating user " + name, e);
        }
    }

    /**
     * Adds {@code acls} and returns once the broker's authorizer applies them (they travel through
     * the metadata log first).
     */
    public void allow(Collection<AclBinding> acls) {
        try (Admin admin = superUserAdmin()) {
            admin.createAcls(acls).all().get(VISIBLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            awaitVisible(
                    acls.size() + " ACLs",
                    () ->
                            admin.describeAcls(AclBindingFilter.ANY)
                                    .values()
                                    .get(VISIBLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                                    .containsAll(acls));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("creating ACLs failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating ACLs", e);
        }
    }

    private interface Check {
        boolean holds() throws ExecutionException, TimeoutException, InterruptedException;
    }

    private static void awaitVisible(String what, Check check)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + VISIBLE_TIMEOUT.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(what + " not applied within " + VISIBLE_TIMEOUT);
            }
            Thread.sleep(20);
        }
    }

    /** The {@code bootstrap.servers} value clients use: {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Blocks until the broker has stopped (after {@link #close()} from another thread). */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    /** Stops the broker cleanly, flushing its logs; idempotent. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Kafka broker on {} stopped", bootstrapServers());
    }

    /**
     * Returns whether the directory already holds a formatted broker; refuses anything that is
     * neither empty nor a broker's data, so a typo never scribbles over someone's files.
     */
    private static boolean checkDataDir(Path dataDir, Path logDir) {
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new BrokerStartException(
                    "--data-dir " + dataDir + " is a file, expected a directory");
        }
        if (Files.isRegularFile(logDir.resolve(META_PROPERTIES))) {
            return true;
        }
        if (Files.isDirectory(dataDir) && !isEmpty(dataDir) && Files.notExists(logDir)) {
            // A directory beside the broker's (local mode keeps checkpoints there) is fine; one
            // with files but no Kafka log dir is somebody else's.
            throw new BrokerStartException(
                    "--data-dir "
                            + dataDir
                            + " is not a streamlearn broker's data directory: it is"
                            + " not empty and has no "
                            + LOG_DIR
                            + "/"
                            + META_PROPERTIES
                            + ". Use an empty or new directory.");
        }
        if (Files.isDirectory(logDir) && !isEmpty(logDir)) {
            throw new BrokerStartException(
                    "--data-dir "
                            + dataDir
                            + ": "
                            + logDir
                            + " has files but no "
                            + META_PROPERTIES
                            + ", so it is not a formatted Kafka log directory");
        }
        return false;
    }

    private static void format(Path dataDir, Properties props) {
        try {
            Files.createDirectories(dataDir);
            Path config = dataDir.resolve("broker.properties");
            // The format needs the listeners, not the passwords of this start.
            Properties withoutSecrets = new Properties();
            props.forEach(
                    (key, value) -> {
                        if (!key.toString().endsWith("sasl.jaas.config")
                                && !key.toString().endsWith("password")) {
                            withoutSecrets.put(key, value);
                        }
                    });
            try (OutputStream out = Files.newOutputStream(config)) {
                withoutSecrets.store(
                        out, "Written by streamlearn to format the KRaft log directory");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            String clusterId = Uuid.randomUuid().toString();
            int exit;
            try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                exit =
                        StorageTool.execute(
                                new String[] {"format", "-t", clusterId, "-c", config.toString()},
                                print);
            }
            if (exit != 0) {
                throw new BrokerStartException(
                        "formatting Kafka storage in "
                                + dataDir
                                + " failed: "
                                + output.toString(StandardCharsets.UTF_8));
            }
            LOG.info("Formatted {} for cluster {}", dataDir, clusterId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to --data-dir " + dataDir, e);
        }
    }

    private static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put(
                "listeners",
                "PLAINTEXT://"
                        + HOST
                        + ":"
                        + port
                        + ",CONTROLLER://"
                        + HOST
                        + ":"
                        + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        // One node: every internal topic has one replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Topics come from `streamlearn topics create` (or the apps' own admin calls), so that a
        // misspelt topic name fails loudly instead of creating a topic nobody reads.
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        // A transactional write to a partition whose previous transaction's markers are still
        // being written is retried by the broker after this back-off. A whole commit takes 2-3 ms
        // here on average (BENCHMARKS, Scorer), so the default of 20 ms would hold such a write
        // several times longer than the markers do.
        props.put("add.partitions.to.txn.retry.backoff.ms", "1");
        return props;
    }

    /**
     * Replaces the PLAINTEXT listeners: clients on {@code SASL_SSL} with SCRAM-SHA-512; the broker
     * to itself (inter-broker, e.g. transaction markers) and to its controller on loopback
     * listeners with SASL/PLAIN as {@value #BROKER_USER}, whose only user is that one.
     */
    private static void secure(
            Properties props,
            BrokerSecurity security,
            int port,
            int controllerPort,
            Internal internal) {
        props.put(
                "listeners",
                String.join(
                        ",",
                        "SASL_SSL://" + HOST + ":" + port,
                        "INTERNAL://" + internal.bootstrap(),
                        "CONTROLLER://" + HOST + ":" + controllerPort));
        props.put(
                "advertised.listeners",
                "SASL_SSL://" + HOST + ":" + port + ",INTERNAL://" + internal.bootstrap());
        props.put(
                "listener.security.protocol.map",
                "SASL_SSL:SASL_SSL,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", "INTERNAL");
        props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        props.put(
                "listener.name.sasl_ssl.sasl.enabled.mechanisms", BrokerSecurity.CLIENT_MECHANISM);
        props.put(
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("listener.name.sasl_ssl.ssl.keystore.location", security.keystore().toString());
        props.put("listener.name.sasl_ssl.ssl.keystore.password", security.keystorePassword());
        props.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
        for (String listener : List.of("internal", "controller")) {
            props.put("listener.name." + listener + ".sasl.enabled.mechanisms", "PLAIN");
            props.put(
                    "listener.name." + listener + ".plain.sasl.jaas.config",
                    plainLogin(internal.password(), true));
        }
        props.put("authorizer.class.name", STANDARD_AUTHORIZER);
        List<String> superUsers = new ArrayList<>();
        superUsers.add("User:" + BROKER_USER);
        security.superUsers().forEach(user -> superUsers.add("User:" + user));
        props.put("super.users", String.join(";", superUsers));
        props.put("allow.everyone.if.no.acl.found", "false");
    }

    /**
     * The JAAS line of {@value #BROKER_USER}: as a client, its name and password; as the server of
     * an internal listener, also the one user it knows.
     */
    private static String plainLogin(String password, boolean serverToo) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + BROKER_USER
                + "\" password=\""
                + password
                + "\""
                + (serverToo ? " user_" + BROKER_USER + "=\"" + password + "\"" : "")
                + ";";
    }

    private static String newPassword() {
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    private static int requireFreePort(int port, String flag) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return port;
        } catch (IOException e) {
            throw new BrokerStartException(
                    flag
                            + " "
                            + port
                            + ": port "
                            + port
                            + " on "
                            + HOST
                            + " is already in use"
                            + " (another broker?). Stop it or choose another port.",
                    e);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
