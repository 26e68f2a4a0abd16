package dev.streamlearn.ops.cli;

import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.schemas.kafka.TopicInstaller.Change;
import dev.streamlearn.trainer.flink.KafkaClientOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code streamlearn topics}: the pipeline's topics on a cluster. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Manages the pipeline's topics.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class})
final class TopicsCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Creates every topic of the pipeline with its partitions and configs.",
                "Existing topics keep their data; configs that drifted are set again.",
                "Running it twice changes nothing."
            })
    static final class Create implements Callable<Integer> {
        @Mixin BootstrapOption bootstrap;
        @Mixin KafkaClientOptions kafkaClient;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = KafkaAdmin.connect(kafkaClient.connection(bootstrap.servers))) {
                for (Change change : new TopicInstaller(admin).install(Topics.all())) {
                    out.printf(
                            "%-18s %-14s %s%n",
                            change.topic(),
                            change.outcome().name().toLowerCase().replace('_', ' '),
                            change.detail());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the pipeline's topics with what each carries (no broker needed).")
    static final class ListTopics implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (Topic<?, ?> topic : Topics.all()) {
                out.printf(
                        "%-18s %d partition(s)  %s%n",
                        topic.name(), topic.partitions(), topic.description());
            }
            out.flush();
            return 0;
        }
    }
}
