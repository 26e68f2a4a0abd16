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
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
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
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final String LOG_DIR = "kafka-logs";
    private static final String META_PROPERTIES = "meta.properties";
    private static final int NODE_ID = 1;

    private final Path dataDir;
    private final int port;
    private final KafkaRaftServer server;
    private boolean stopped;

    private EmbeddedKafkaBroker(Path dataDir, int port, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.port = port;
        this.server = server;
    }

    /**
     * Starts a broker on {@code 127.0.0.1:port} (0 picks a free port) with its data in {@code
     * dataDir}, formatting the directory if it is new or empty. Returns once the broker accepts
     * connections.
     *
     * @throws BrokerStartException if the port is taken or the directory holds something else
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) {
        Path logDir = dataDir.toAbsolutePath().resolve(LOG_DIR);
        boolean formatted = checkDataDir(dataDir.toAbsolutePath(), logDir);
        int brokerPort = port == 0 ? freePort() : requireFreePort(port, "--port");
        // The controller's port changes freely between starts: the quorum is static, one voter.
        int controllerPort = freePort();
        Properties props = brokerProperties(logDir, brokerPort, controllerPort);
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
        return new EmbeddedKafkaBroker(dataDir, brokerPort, server);
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
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "Written by streamlearn to format the KRaft log directory");
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
