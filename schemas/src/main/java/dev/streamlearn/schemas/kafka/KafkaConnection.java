package dev.streamlearn.schemas.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Where a Kafka client connects and how it proves who it is: the bootstrap servers and the
 * connection settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) of a client
 * properties file. Every producer, consumer, admin, Kafka Streams and Flink Kafka client that a
 * command opens starts from {@link #clientConfig()}, so one file secures them all alike.
 *
 * <p>Only connection settings are taken: a file meant for one kind of client ({@code
 * isolation.level}, {@code transactional.id}, ...) must not change the others. Serializable, as the
 * Flink job carries it to its sources and sinks; {@link #toString()} never shows the settings,
 * which hold passwords.
 */
public final class KafkaConnection implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String bootstrap;
    private final TreeMap<String, String> settings;
    private final String source;

    private KafkaConnection(String bootstrap, Map<String, String> settings, String source) {
        this.bootstrap = bootstrap;
        this.settings = new TreeMap<>(settings);
        this.source = source;
    }

    /** No settings: PLAINTEXT, as every command spoke before client properties files. */
    public static KafkaConnection plaintext(String bootstrap) {
        return new KafkaConnection(bootstrap, Map.of(), null);
    }

    /** Whether {@code key} is a connection setting that every client of a command takes. */
    public static boolean isConnectionSetting(String key) {
        return key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
                || key.startsWith("sasl.")
                || key.startsWith("ssl.");
    }

    /**
     * The connection settings of a client properties file; any other setting in it is refused.
     *
     * @throws IllegalArgumentException naming the file, when it is missing, unreadable or sets
     *     something other than a connection setting
     */
    public static KafkaConnection load(String bootstrap, Path file) {
        Properties props = read(file);
        TreeSet<String> others = new TreeSet<>(props.stringPropertyNames());
        others.removeIf(KafkaConnection::isConnectionSetting);
        if (!others.isEmpty()) {
            throw new IllegalArgumentException(
                    "Kafka client properties "
                            + file
                            + " set "
                            + others
                            + ": only security.protocol, sasl.* and ssl.* are taken, by every"
                            + " client this command opens");
        }
        return fromProperties(bootstrap, props, file.toString());
    }

    /**
     * The connection settings of a file that may hold other settings too (the scorer's file, which
     * is its Kafka Streams configuration as well); those others are left to their reader.
     *
     * @throws IllegalArgumentException naming the file, when it is missing or unreadable
     */
    public static KafkaConnection loadAmong(String bootstrap, Path file) {
        return fromProperties(bootstrap, read(file), file.toString());
    }

    /**
     * The connection of a Kafka Streams or client configuration: its {@code bootstrap.servers} and
     * connection settings, for the other clients that open beside it.
     */
    public static KafkaConnection of(Properties config) {
        return fromProperties(
                config.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG), config, null);
    }

    private static KafkaConnection fromProperties(
            String bootstrap, Properties props, String source) {
        Map<String, String> settings = new HashMap<>();
        for (String key : props.stringPropertyNames()) {
            if (isConnectionSetting(key)) {
                settings.put(key, props.getProperty(key).trim());
            }
        }
        return new KafkaConnection(bootstrap, settings, source);
    }

    private static Properties read(Path file) {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(
                    "cannot read Kafka client properties " + file + ": no such file", e);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a malformed \\uXXXX escape
            throw new IllegalArgumentException(
                    "cannot read Kafka client properties " + file + ": " + e, e);
        }
        return props;
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** The connection settings alone, without the bootstrap servers. */
    public Map<String, String> settings() {
        return Map.copyOf(settings);
    }

    /**
     * A new, mutable client configuration: {@code bootstrap.servers} and the connection settings,
     * for the caller to add its client's own.
     */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return config;
    }

    /** As {@link #clientConfig()}, for APIs that take {@link Properties}. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.putAll(clientConfig());
        return props;
    }

    /** {@code clientConfig()} with {@code own} added (they win). */
    public Map<String, Object> clientConfig(Map<String, ?> own) {
        Map<String, Object> config = clientConfig();
        config.putAll(own);
        return config;
    }

    /** The security protocol the clients use: {@code PLAINTEXT} unless the settings say. */
    public String securityProtocol() {
        return settings.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    }

    /** Where the settings came from, for messages: the file, or none. */
    public String describe() {
        return source == null
                ? bootstrap + " (" + securityProtocol() + ")"
                : bootstrap + " (" + securityProtocol() + ", settings from " + source + ")";
    }

    /** The bootstrap servers and protocol only: the settings hold passwords. */
    @Override
    public String toString() {
        return describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaConnection other
                && Objects.equals(bootstrap, other.bootstrap)
                && settings.equals(other.settings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bootstrap, settings);
    }
}
