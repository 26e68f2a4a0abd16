package dev.streamlearn.ops.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.broker.BrokerSecurity;
import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.broker.ThrowawayTls;
import dev.streamlearn.ops.process.DatasetSlices;
import dev.streamlearn.ops.process.StreamlearnProcess;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.kafka.CommittedReader;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a broker that authenticates and authorizes: the embedded broker with a SASL_SSL
 * listener (SCRAM-SHA-512 over TLS from a throwaway CA) and the KRaft StandardAuthorizer, where
 * nothing is allowed without an ACL. Each part runs as its own {@code streamlearn} process (the
 * packaged jar, as a user runs it) under its own principal, given by its own {@code --config} file,
 * with only the ACLs of {@link PartAcls}. Events go in through {@code ingest} and, as JSON, through
 * the normalizer; the trainer publishes versions; the scorer scores with them. A client whose
 * principal may not write {@code model-versions} (the scorer's own) is refused, by topic and by
 * transactional id, and scoring goes on.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SecuredPipelineIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final Duration STOP = Duration.ofSeconds(60);
    private static final Path SPAM = Path.of("..", "datasets", "spamassassin.jsonl.gz");
    private static final List<String> SMALL_JVM = List.of("-Xmx384m");

    @TempDir Path dir;

    private ThrowawayTls tls;
    private EmbeddedKafkaBroker broker;

    @Test
    void everyPartRunsUnderItsOwnPrincipalAndOnlyTheTrainerMayPublishVersions() throws Exception {
        // Given a broker that takes SCRAM-SHA-512 over TLS and checks ACLs, an administrator,
        // and one principal per part with that part's ACLs only
        tls = ThrowawayTls.create(dir.resolve("tls"));
        List<StreamlearnProcess> started = new ArrayList<>();
        try (EmbeddedKafkaBroker secured =
                EmbeddedKafkaBroker.start(
                        dir.resolve("kafka"), 0, BrokerSecurity.saslSsl(tls, "admin"))) {
            broker = secured;
            Path admin = principal("admin", List.of());
            Path ingest = principal("ingest", PartAcls.ingest("ingest"));
            Path normalizer = principal("normalizer", PartAcls.normalizer("normalizer"));
            Path trainer = principal("trainer", PartAcls.trainer("trainer"));
            Path scorer = principal("scorer", PartAcls.scorer("scorer"));
            Path operator = principal("operator", PartAcls.operator("operator"));

            // and the topics, created by the administrator
            assertThat(run("topics", "create", "--config", admin.toString()))
                    .as("topics create as admin")
                    .isZero();
            // and a wrong password, refused with the reason
            Path wrong =
                    Files.writeString(
                            dir.resolve("wrong.properties"), clientProperties("ingest", "guessed"));
            try (StreamlearnProcess refused =
                    StreamlearnProcess.start(
                            SMALL_JVM,
                            "tail",
                            "text-scores",
                            "--bootstrap",
                            broker.bootstrapServers(),
                            "--config",
                            wrong.toString())) {
                assertThat(refused.awaitExit(START)).isEqualTo(1);
                assertThat(refused.stderr()).contains("refused the connection");
            }

            // When the scorer, the normalizer and the trainer run, each with its own file
            StreamlearnProcess score =
                    start(
                            started,
                            SMALL_JVM,
                            "score",
                            "--config",
                            scorer.toString(),
                            "--allow-unsigned",
                            "--state-dir",
                            dir.resolve("scorer").toString(),
                            "--metrics-port",
                            "-1");
            // One at a time: each checks it can reach the broker within 8 s, and five JVMs
            // starting at once on a small loaded machine can take longer than that.
            score.awaitLine("Scorer running against", START);
            StreamlearnProcess normalize =
                    start(
                            started,
                            SMALL_JVM,
                            "normalize",
                            "--config",
                            normalizer.toString(),
                            "--state-dir",
                            dir.resolve("normalizer").toString(),
                            "--metrics-port",
                            "-1");
            normalize.awaitLine("Normalizer running against", START);
            StreamlearnProcess train =
                    start(
                            started,
                            List.of("-Xmx1g"),
                            "train",
                            "--config",
                            trainer.toString(),
                            "--model",
                            "text",
                            "--unsigned",
                            // two combined learners: their feedback topic, which the trainer
                            // creates, needs its own grants
                            "--parallelism",
                            "2",
                            "--checkpoint-dir",
                            dir.resolve("trainer").toString(),
                            "--metrics-port",
                            "-1");
            train.awaitLine("Training [text-classifier]", START);
            StreamlearnProcess dashboard =
                    start(
                            started,
                            SMALL_JVM,
                            "dashboard",
                            "--config",
                            operator.toString(),
                            "--allow-unsigned",
                            "--port",
                            "0");

            // and labelled mails are ingested, and one JSON event arrives through the normalizer
            Path slice = DatasetSlices.firstLines(SPAM, dir.resolve("spam-slice.jsonl"), 200);
            assertThat(
                            run(
                                    "ingest",
                                    "text",
                                    "--config",
                                    ingest.toString(),
                                    "--file",
                                    slice.toString(),
                                    "--id-field",
                                    "id",
                                    "--text-field",
                                    "subject,text",
                                    "--label-field",
                                    "label",
                                    "--as-fast-as-possible",
                                    "--metrics-port",
                                    "-1"))
                    .as("ingest as ingest")
                    .isZero();
            sendJson(ingest, "json-before", "Cheap loans, act now");

            // Then the trainer publishes versions and the scorer scores with them, the JSON event
            // too
            KafkaConnection asAdmin = KafkaConnection.load(broker.bootstrapServers(), admin);
            ModelVersion version =
                    await(
                            asAdmin,
                            Topics.MODEL_VERSIONS,
                            v -> v.getModel().equals("text-classifier"));
            TextScore scored =
                    await(
                            asAdmin,
                            Topics.TEXT_SCORES,
                            s -> s.getEventId().equals("json-before") && s.getModelVersion() >= 1);
            assertThat(scored.getModel()).isEqualTo(version.getModel());
            // and the dashboard, under the operator's principal, shows the model, the scores and
            // the scorer group's lag
            String page = page(dashboard.awaitLine("Dashboard of", START));
            Awaitility.await("the dashboard's snapshot")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(
                            () ->
                                    assertThat(get(page + "api/snapshot"))
                                            .contains("\"text-classifier\"")
                                            .contains("\"streamlearn-scorer\"")
                                            .doesNotContain("feedProblem")
                                            .doesNotContain("\"textScores\":0,"));

            // When a client that may only read model-versions (the scorer's principal) writes
            // there, plainly or as the trainer's transactional id
            KafkaConnection asScorer = KafkaConnection.loadAmong(broker.bootstrapServers(), scorer);
            try (KafkaProducer<byte[], byte[]> intruder =
                    new KafkaProducer<>(
                            asScorer.clientConfig(
                                    Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000)),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                // Then it is refused, naming the topic
                assertThatThrownBy(
                                () ->
                                        intruder.send(
                                                        new ProducerRecord<>(
                                                                Topics.MODEL_VERSIONS.name(),
                                                                "text-classifier".getBytes(),
                                                                new byte[] {0}))
                                                .get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause()
                        .isInstanceOf(TopicAuthorizationException.class)
                        .hasMessageContaining(Topics.MODEL_VERSIONS.name());
            }
            try (KafkaProducer<byte[], byte[]> fencer =
                    new KafkaProducer<>(
                            asScorer.clientConfig(
                                    Map.of(
                                            ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                            20_000,
                                            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                            "streamlearn-trainer-versions-0")),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                assertThatThrownBy(fencer::initTransactions)
                        .isInstanceOf(TransactionalIdAuthorizationException.class);
            }

            // and so is a pin by that principal, which may not write model-control, while the
            // operator's is taken
            try (StreamlearnProcess pin =
                    StreamlearnProcess.start(
                            SMALL_JVM,
                            "models",
                            "pin",
                            "text-classifier",
                            Long.toString(version.getVersion()),
                            "--allow-unsigned",
                            "--bootstrap",
                            broker.bootstrapServers(),
                            "--config",
                            scorer.toString())) {
                assertThat(pin.awaitExit(START)).isEqualTo(1);
                assertThat(pin.stderr())
                        .contains("TopicAuthorizationException", Topics.MODEL_CONTROL.name());
            }
            assertThat(
                            run(
                                    "models",
                                    "follow",
                                    "text-classifier",
                                    "--allow-unsigned",
                                    "--config",
                                    operator.toString()))
                    .as("models follow as operator")
                    .isZero();

            // and scoring goes on: an event sent after the refusals is scored too, by a version
            // the trainer published
            sendJson(ingest, "json-after", "Meeting moved to Thursday");
            TextScore after =
                    await(asAdmin, Topics.TEXT_SCORES, s -> s.getEventId().equals("json-after"));
            assertThat(after.getModelVersion()).isGreaterThanOrEqualTo(1);
            assertThat(train.isAlive()).as(train.stderr()).isTrue();

            // 143 = 128 + SIGTERM: the JVM's own exit code after running its shutdown hooks.
            for (StreamlearnProcess process : started) {
                assertThat(process.stop(STOP)).as(process.stderr()).isEqualTo(143);
            }
        } finally {
            started.forEach(StreamlearnProcess::close);
        }
    }

    private static String page(String banner) {
        Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/").matcher(banner);
        assertThat(m.find()).as("a page on 127.0.0.1 in: " + banner).isTrue();
        return m.group();
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** A SCRAM user with its ACLs, and its client properties file. */
    private Path principal(String user, List<org.apache.kafka.common.acl.AclBinding> acls)
            throws IOException {
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        broker.createScramUser(user, password);
        if (!acls.isEmpty()) {
            broker.allow(acls);
        }
        return Files.writeString(
                dir.resolve(user + ".properties"), clientProperties(user, password));
    }

    private String clientProperties(String user, String password) {
        return String.join(
                "\n",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=" + BrokerSecurity.CLIENT_MECHANISM,
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\""
                        + user
                        + "\" password=\""
                        + password
                        + "\";",
                "ssl.truststore.location=" + tls.truststore(),
                "ssl.truststore.password=" + tls.password(),
                "ssl.truststore.type=PKCS12",
                "");
    }

    private StreamlearnProcess start(
            List<StreamlearnProcess> started, List<String> jvm, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap", broker.bootstrapServers()));
        StreamlearnProcess process = StreamlearnProcess.start(jvm, all.toArray(String[]::new));
        started.add(process);
        return process;
    }

    /** Runs a command to its end; returns its exit code, failing with its stderr if not 0. */
    private int run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap", broker.bootstrapServers()));
        try (StreamlearnProcess process =
                StreamlearnProcess.start(SMALL_JVM, all.toArray(String[]::new))) {
            int exit = process.awaitExit(START);
            assertThat(exit).as("%s: %s", args[0], process.stderr()).isZero();
            return exit;
        }
    }

    private void sendJson(Path config, String id, String text) throws Exception {
        KafkaConnection kafka = KafkaConnection.load(broker.bootstrapServers(), config);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        kafka.clientConfig(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000)),
                        new StringSerializer(),
                        new StringSerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    Topics.TEXT_EVENTS_JSON.name(),
                                    id,
                                    "{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}"))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** The first committed record of {@code topic} that {@code wanted} accepts, read as admin. */
    private static <V> V await(KafkaConnection kafka, Topic<?, V> topic, Predicate<V> wanted) {
        AtomicReference<V> match = new AtomicReference<>();
        List<V> seen = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                CommittedReader.consumer(kafka, "streamlearn-it", Duration.ofSeconds(30))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Awaitility.await("a matching record on " + topic.name())
                    .atMost(WAIT)
                    .pollInSameThread()
                    .pollInterval(Duration.ZERO)
                    .untilAsserted(
                            () -> {
                                for (ConsumerRecord<byte[], byte[]> r :
                                        consumer.poll(Duration.ofMillis(500))) {
                                    V value =
                                            topic.valueSerde()
                                                    .deserializer()
                                                    .deserialize(topic.name(), r.value());
                                    seen.add(value);
                                    if (match.get() == null && wanted.test(value)) {
                                        match.set(value);
                                    }
                                }
                                assertThat(match.get())
                                        .as(
                                                "a match among %d records, the last: %s",
                                                seen.size(),
                                                seen.isEmpty() ? "none" : seen.get(seen.size() - 1))
                                        .isNotNull();
                            });
        }
        return match.get();
    }
}
