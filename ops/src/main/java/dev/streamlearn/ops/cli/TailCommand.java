package dev.streamlearn.ops.cli;

import dev.streamlearn.ops.tail.TopicTail;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.trainer.flink.KafkaClientOptions;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code streamlearn tail TOPIC}: records as JSON lines, for people and scripts. */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Prints a topic's records as JSON lines (topic, partition, offset, timestamp, key, value).",
            "Without --follow it stops at the topic's current end, so scripts can use it."
        })
final class TailCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TOPIC", description = "One of the pipeline's topics.")
    String topicName;

    @Mixin BootstrapOption bootstrap;

    @Mixin KafkaClientOptions kafkaClient;

    @Option(
            names = "--from-beginning",
            description = "Start at the oldest record instead of the end.")
    boolean fromBeginning;

    @Option(
            names = "--max",
            paramLabel = "N",
            defaultValue = "" + Long.MAX_VALUE,
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Stop after N records.")
    long max;

    @Option(names = "--follow", description = "Keep printing new records until Ctrl-C.")
    boolean follow;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Topic<?, ?> topic =
                Topics.byName(topicName)
                        .orElseThrow(
                                () ->
                                        new CommandLine.ParameterException(
                                                spec.commandLine(),
                                                "unknown topic '"
                                                        + topicName
                                                        + "'; the pipeline's topics are: "
                                                        + Topics.names()));
        if (max < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--max must be >= 1, was " + max);
        }
        int partitions = partitionCount(topic);
        PrintWriter out = spec.commandLine().getOut();
        try (TopicTail tail =
                new TopicTail(kafkaClient.connection(bootstrap.servers), topic, partitions)) {
            CountDownLatch done = new CountDownLatch(1);
            Thread stopOnCtrlC =
                    new Thread(
                            () -> {
                                tail.wakeup();
                                awaitQuietly(done);
                            },
                            "tail-shutdown");
            Runtime.getRuntime().addShutdownHook(stopOnCtrlC);
            try {
                tail.run(out, fromBeginning, max, follow);
            } finally {
                done.countDown();
                removeQuietly(stopOnCtrlC);
            }
        }
        return 0;
    }

    private int partitionCount(Topic<?, ?> topic) throws InterruptedException, TimeoutException {
        try (Admin admin = KafkaAdmin.connect(kafkaClient.connection(bootstrap.servers))) {
            TopicDescription description =
                    admin.describeTopics(List.of(topic.name()))
                            .allTopicNames()
                            .get(KafkaAdmin.REACH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                            .get(topic.name());
            return description.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException(
                        "topic "
                                + topic.name()
                                + " does not exist on "
                                + bootstrap.servers
                                + "; create it with `streamlearn topics create`",
                        e);
            }
            throw new IllegalStateException(
                    "cannot describe topic " + topic.name() + ": " + e.getCause().getMessage(), e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting: the hook runs anyway.
        }
    }
}
