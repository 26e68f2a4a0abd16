package dev.streamlearn.trainer.flink;

import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.family.TrainingFamily;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The entry point for {@code flink run} on a real Flink cluster (the jar of the {@code flink-job}
 * Maven profile): {@code --bootstrap H:P [--model series|text|all] [--name N] [--checkpoint-dir
 * URI]}. State backend and restarts come from the cluster's configuration; checkpointing is
 * switched on here (every 2 s), because the exactly-once sink needs it. The learners' state is
 * megabytes (a default text model: ~12 MB), beyond what the JobManager's in-memory checkpoint
 * storage takes: the cluster needs {@code execution.checkpointing.dir}, or pass {@code
 * --checkpoint-dir}.
 */
public final class TrainingJobMain {
    private TrainingJobMain() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = "127.0.0.1:9092";
        String model = "all";
        String name = TrainingJobRunner.JOB_NAME;
        String checkpointDir = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = require(args[i], value);
                case "--model" -> model = require(args[i], value);
                case "--name" -> name = require(args[i], value);
                case "--checkpoint-dir" -> checkpointDir = require(args[i], value);
                default ->
                        throw new IllegalArgumentException(
                                "unknown argument '"
                                        + args[i]
                                        + "': expected --bootstrap H:P, --model series|text|all,"
                                        + " --name N, --checkpoint-dir URI");
            }
            i++;
        }
        Configuration conf = new Configuration();
        conf.set(
                CheckpointingOptions.CHECKPOINTING_INTERVAL, TrainingJobRunner.CHECKPOINT_INTERVAL);
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // Models the restored savepoint (if any) has no state for continue after their newest
        // published version; read here, in the client, before the job graph is built.
        List<ModelDefinition> continuing =
                PublishedVersions.continuing(
                        bootstrap, models(model), TrainingJobRunner.PUBLISHED_TIMEOUT);
        new TrainingJob(continuing, TrainingOptions.defaults())
                .build(
                        env,
                        KafkaTrainingIo.of(bootstrap, name),
                        KafkaTrainingIo.of(bootstrap, name));
        env.execute(name);
    }

    /**
     * A family's {@link TrainingFamily#shortName()} ({@code series}, {@code text}) or {@code all}:
     * the families' default models.
     */
    public static List<ModelDefinition> models(String which) {
        List<ModelDefinition> models =
                TrainingFamilies.all().stream()
                        .filter(f -> which.equals("all") || which.equals(f.shortName()))
                        .map(f -> ModelDefinition.defaults(f.family()))
                        .toList();
        if (models.isEmpty()) {
            throw new IllegalArgumentException(
                    "--model "
                            + which
                            + ": expected "
                            + TrainingFamilies.all().stream()
                                    .map(TrainingFamily::shortName)
                                    .collect(Collectors.joining(", "))
                            + " or all");
        }
        return models;
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
