package dev.streamlearn.trainer.flink;

import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.trainer.training.TrainingOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The entry point for {@code flink run} on a real Flink cluster (the jar of the {@code flink-job}
 * Maven profile). It runs the same job with the same settings as {@code streamlearn train} and
 * {@code local} ({@link TrainingJobRunner#productionJob}, {@link TrainingJobRunner#jobSettings}):
 * only the environment comes from the cluster, and with it the state backend. The learners' state
 * is megabytes (a default text model: ~12 MB), beyond what the JobManager's in-memory checkpoint
 * storage takes: the cluster needs {@code execution.checkpointing.dir}, or pass {@code
 * --checkpoint-dir}. The versions are signed with {@code --signing-key} ({@link SigningOptions}),
 * read where {@code flink run} runs (as is the {@code --pipeline} file), and so is the Kafka client
 * properties file of {@code --config} ({@link KafkaClientOptions}); files it names (key and trust
 * stores) are opened by each client, so they must be at that path where {@code flink run} runs and
 * on the JobManager and every TaskManager.
 */
@Command(
        name = "TrainingJobMain",
        mixinStandardHelpOptions = true,
        description = "Submits the online training job to the Flink cluster of `flink run`.")
public final class TrainingJobMain {
    @Option(
            names = "--bootstrap",
            paramLabel = "H:P",
            defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;

    @Mixin KafkaClientOptions kafkaClient;

    @Option(
            names = "--model",
            defaultValue = "all",
            description =
                    "series, text, vector (mlp-classifier on vector-events), image"
                            + " (cnn-classifier on image-events) or all (series and text;"
                            + " default: ${DEFAULT-VALUE}).")
    String model;

    @Mixin PipelineOption pipeline;

    @Mixin SpecOverrides overrides;

    @Mixin MiniBatchOptions miniBatches;

    @Mixin ParallelismOption parallelism;

    @Mixin SigningOptions signing;

    @Option(
            names = "--name",
            paramLabel = "N",
            defaultValue = TrainingJobRunner.JOB_NAME,
            description =
                    "Job name, and prefix of its consumer group, client and transactional ids"
                            + " (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "URI",
            description = "Where checkpoints go, if the cluster does not say.")
    String checkpointDir;

    public static void main(String[] args) throws Exception {
        TrainingJobMain main = new TrainingJobMain();
        CommandLine command = new CommandLine(main);
        // Parsed, not executed: a bad argument or a failed submission propagates, so `flink run`
        // fails with it.
        command.parseArgs(args);
        if (command.isUsageHelpRequested()) {
            command.usage(System.out);
        } else if (command.isVersionHelpRequested()) {
            command.printVersionHelp(System.out);
        } else {
            main.submit();
        }
    }

    private void submit() throws Exception {
        // Read here, where `flink run` runs: the key travels to the learners inside the job graph.
        TrainingOptions options =
                parallelism.applyTo(
                        signing.applyTo(miniBatches.applyTo(TrainingOptions.defaults())));
        Configuration conf = TrainingJobRunner.jobSettings();
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // Read here too: the connection settings travel to the sources and sinks inside the job
        // graph.
        KafkaConnection kafka = kafkaClient.connection(bootstrap);
        KafkaTrainingIo io = KafkaTrainingIo.of(kafka, name);
        TrainingJobRunner.productionJob(kafka, pipeline.models(model, overrides.values()), options)
                .build(env, io, io);
        env.execute(name);
    }
}
