package dev.streamlearn.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker with its SASL_SSL listener (SCRAM-SHA-512 over TLS) and ACLs. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SecuredBrokerIT {
    @TempDir static Path dir;

    private static ThrowawayTls tls;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void aBrokerWhereAliceMayWriteOneTopic() throws Exception {
        tls = ThrowawayTls.create(dir.resolve("tls"));
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, BrokerSecurity.saslSsl(tls));
        try (Admin admin = broker.superUserAdmin()) {
            admin.createTopics(
                            List.of(
                                    new NewTopic("allowed", 1, (short) 1),
                                    new NewTopic("forbidden", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        broker.createScramUser("alice", "alice-secret");
        broker.allow(
                List.of(
                        new AclBinding(
                                new ResourcePattern(
                                        ResourceType.TOPIC, "allowed", PatternType.LITERAL),
                                new AccessControlEntry(
                                        "User:alice",
                                        "*",
                                        AclOperation.WRITE,
                                        AclPermissionType.ALLOW))));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aUserWritesWhereAnAclAllowsIt() throws Exception {
        try (KafkaProducer<String, String> producer = producer("alice", "alice-secret")) {
            assertThat(
                            producer.send(new ProducerRecord<>("allowed", "k", "v"))
                                    .get(30, TimeUnit.SECONDS)
                                    .offset())
                    .isZero();
        }
    }

    @Test
    void aWriteNoAclAllowsIsRefusedNamingTheTopic() {
        try (KafkaProducer<String, String> producer = producer("alice", "alice-secret")) {
            assertThatThrownBy(
                            () ->
                                    producer.send(new ProducerRecord<>("forbidden", "k", "v"))
                                            .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining("forbidden");
        }
    }

    @Test
    void aWrongPasswordIsRefusedAtLogin() {
        try (KafkaProducer<String, String> producer = producer("alice", "guessed")) {
            assertThatThrownBy(
                            () ->
                                    producer.send(new ProducerRecord<>("allowed", "k", "v"))
                                            .get(30, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void theBrokersOwnNameIsNotForClients() {
        assertThatThrownBy(() -> broker.createScramUser(EmbeddedKafkaBroker.BROKER_USER, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static KafkaProducer<String, String> producer(String user, String password) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", BrokerSecurity.CLIENT_MECHANISM);
        config.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user
                        + "\" password=\""
                        + password
                        + "\";");
        config.put("ssl.truststore.location", tls.truststore().toString());
        config.put("ssl.truststore.password", tls.password());
        config.put("ssl.truststore.type", "PKCS12");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }
}
