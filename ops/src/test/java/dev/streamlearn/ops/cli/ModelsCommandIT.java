package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.version.KeyFiles;
import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.ModelVersions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `streamlearn models list|show|pin|follow` against a real broker holding three versions signed by
 * the trainer's key and a fourth, unsigned one that the registry does not hold.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ModelsCommandIT {
    @TempDir static Path dir;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void brokerWithThreeVersions() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir, 0);
        try (Admin admin = KafkaAdmin.connect(broker.bootstrapServers())) {
            new TopicInstaller(admin).install(Topics.all());
        }
        try (KafkaProducer<String, ModelVersion> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                        Topics.MODEL_VERSIONS.keySerde().serializer(),
                        Topics.MODEL_VERSIONS.valueSerde().serializer())) {
            SigningKey trainer = KeyFiles.createIfAbsent(dir.resolve("keys"), "trainer");
            for (long v = 1; v <= 4; v++) {
                ModelVersion version =
                        v <= 3 ? ModelVersions.text(v, trainer) : ModelVersions.text(v);
                producer.send(new ProducerRecord<>("model-versions", version.getModel(), version))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void pinServesAnOlderVersionFollowTheLatestAndGateWhatTheGatePromoted() {
        // No scorer has decided anything: the first version serves, the newest is in shadow.
        assertThat(models("list").out)
                .contains("text-classifier")
                .containsPattern("\\s1\\s+gated, shadow 3\\s+3\\s+1,2,3");

        Run pin = models("pin", "text-classifier", "2", "--reason", "roll back");
        assertThat(pin.exit).as(pin.err).isZero();
        assertThat(pin.out).contains("text-classifier pinned to version 2");
        assertThat(models("list").out).containsPattern("\\s2\\s+pinned\\s+3\\s+1,2,3");

        Run follow = models("follow", "text-classifier");
        assertThat(follow.exit).as(follow.err).isZero();
        assertThat(models("list").out).containsPattern("\\s3\\s+follows latest\\s+3");

        Run gate = models("gate", "text-classifier");
        assertThat(gate.exit).as(gate.err).isZero();
        assertThat(gate.out).contains("text-classifier is gated");
        assertThat(models("list").out).containsPattern("\\s1\\s+gated, shadow 3\\s+3");
    }

    @Test
    void withoutTrustedKeysOrAllowUnsignedItIsRefusedNamingBoth() {
        Run run = run("models", "list", "--bootstrap", broker.bootstrapServers());

        assertThat(run.exit).isEqualTo(UserErrorHandler.FAILED);
        assertThat(run.err).contains("--trusted-keys DIR").contains("--allow-unsigned");
        assertThat(
                        run(
                                        "models",
                                        "list",
                                        "--bootstrap",
                                        broker.bootstrapServers(),
                                        "--allow-unsigned",
                                        "--trusted-keys",
                                        dir.resolve("keys").toString())
                                .out)
                .as("with unsigned versions allowed, the unsigned version 4 is held too")
                .containsPattern("\\s1\\s+gated, shadow 4\\s+4\\s+1,2,3,4");
    }

    @Test
    void pinningAVersionTheRegistryDoesNotHoldIsRefusedNamingTheHeldOnes() {
        Run run = models("pin", "text-classifier", "9");

        assertThat(run.exit).isEqualTo(UserErrorHandler.FAILED);
        assertThat(run.err)
                .contains("text-classifier version 9 is not held by the registry")
                .contains("[1, 2, 3]");
    }

    @Test
    void showListsEachHeldVersionAndAnUnknownModelNamesTheKnownOnes() {
        Run show = models("show", "text-classifier");
        assertThat(show.out).contains("serving version").containsPattern("(?m)^\\s+3\\s+2\\s");

        Run unknown = models("show", "no-such-model");
        assertThat(unknown.exit).isEqualTo(UserErrorHandler.FAILED);
        assertThat(unknown.err)
                .contains("no versions of model 'no-such-model'")
                .contains("known models: text-classifier");
    }

    private record Run(int exit, String out, String err) {}

    private static Run models(String... args) {
        String[] full = new String[args.length + 5];
        full[0] = "models";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--bootstrap";
        full[args.length + 2] = broker.bootstrapServers();
        full[args.length + 3] = "--trusted-keys";
        full[args.length + 4] = dir.resolve("keys").toString();
        return run(full);
    }

    private static Run run(String... full) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(full);
        return new Run(exit, out.toString(), err.toString());
    }
}
