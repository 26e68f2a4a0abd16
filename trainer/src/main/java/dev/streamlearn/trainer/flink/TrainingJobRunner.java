package dev.streamlearn.trainer.flink;

import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.trainer.family.TrainingInputs;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the training job on a local Flink MiniCluster in this process, bound to 127.0.0.1 only, with
 * exactly-once checkpoints retained in a directory. Started again with the same directory, it
 * restores from the newest checkpoint or savepoint there, so learners, version numbers and input
 * offsets continue. Used by {@code streamlearn train} and {@code streamlearn local}.
 */
public final class TrainingJobRunner {
    /** Transactional ids, client ids and consumer group of the production job. */
    public static final String JOB_NAME = "streamlearn-trainer";

    /** A version is visible to read_committed readers at the checkpoint after it: see below. */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(500);

    /** How long a start may take to find the versions already published. */
    static final Duration PUBLISHED_TIMEOUT = Duration.ofSeconds(30);

    private TrainingJobRunner() {}

    /**
     * Trains {@code models} from the registry's topics on {@code bootstrap}. A model the restored
     * checkpoint has no state for continues after its newest version on {@code model-versions}.
     *
     * @param checkpointDir where checkpoints are kept and restored from (created if absent)
     */
    public static TrainingJobHandle start(
            String bootstrap,
            Path checkpointDir,
            List<ModelDefinition> models,
            TrainingOptions options) {
        return start(bootstrap, checkpointDir, models, options, new Configuration());
    }

    /**
     * {@link #start(String, Path, List, TrainingOptions)} with Flink settings that replace the
     * defaults here (e.g. a metrics reporter).
     */
    public static TrainingJobHandle start(
            String bootstrap,
            Path checkpointDir,
            List<ModelDefinition> models,
            TrainingOptions options,
            Configuration overrides) {
        return start(
                KafkaConnection.plaintext(bootstrap), checkpointDir, models, options, overrides);
    }

    /**
     * {@link #start(String, Path, List, TrainingOptions, Configuration)} through {@code kafka}: its
     * connection settings reach every Kafka client of the job.
     */
    public static TrainingJobHandle start(
            KafkaConnection kafka,
            Path checkpointDir,
            List<ModelDefinition> models,
            TrainingOptions options,
            Configuration overrides) {
        return start(
                productionJob(kafka, models, options),
                KafkaTrainingIo.of(kafka, JOB_NAME),
                checkpointDir,
                overrides);
    }

    /**
     * The job {@code train}, {@code local} and {@code flink run} ({@link TrainingJobMain}) all run:
     * {@code models}, each without saved state continuing after its newest version on {@code
     * model-versions} (read here, before the job graph is built).
     */
    static TrainingJob productionJob(
            KafkaConnection kafka, List<ModelDefinition> models, TrainingOptions options) {
        return new TrainingJob(
                PublishedVersions.continuing(
                        kafka, models, options.ownVersions(), PUBLISHED_TIMEOUT),
                options);
    }

    /**
     * What every run of the job sets, on a MiniCluster here or on a Flink cluster: exactly-once
     * checkpoints every {@link #CHECKPOINT_INTERVAL} (the exactly-once sink commits at each),
     * restarts with exponential delay, and no Kryo fallback (every type in the job has a Flink
     * serializer; a generic one would be a bug).
     */
    static Configuration jobSettings() {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, CHECKPOINT_INTERVAL);
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        return conf;
    }

    /**
     * Runs {@code job} with the given wiring.
     *
     * @param overrides Flink settings that replace the defaults here (e.g. a test's checkpoint
     *     interval or restart strategy)
     */
    public static <W extends TrainingInputs & TrainingSinks> TrainingJobHandle start(
            TrainingJob job, W io, Path checkpointDir, Configuration overrides) {
        return start(job, io, io, checkpointDir, overrides);
    }

    /** Runs {@code job} reading {@code inputs} and writing {@code sinks}. */
    public static TrainingJobHandle start(
            TrainingJob job,
            TrainingInputs inputs,
            TrainingSinks sinks,
            Path checkpointDir,
            Configuration overrides) {
        Path dir = checkpointDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint directory " + dir, e);
        }
        Optional<Path> restoreFrom = latestSnapshot(dir);
        Configuration conf = configuration(dir);
        restoreFrom.ifPresent(
                p -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, p.toUri().toString()));
        conf.addAll(overrides);
        int parallelism = Math.min(2, Runtime.getRuntime().availableProcessors());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        job.build(env, inputs, sinks);
        try {
            JobClient client = env.executeAsync(JOB_NAME);
            return new TrainingJobHandle(client, dir, restoreFrom);
        } catch (Exception e) {
            throw new IllegalStateException("the training job did not start: " + e.getMessage(), e);
        }
    }

    /**
     * {@link #jobSettings()} and the MiniCluster's own: loopback only, checkpoints in a directory.
     */
    static Configuration configuration(Path checkpointDir) {
        Configuration conf = jobSettings();
        // Nothing listens beyond this machine: a MiniCluster binds every interface otherwise.
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
        conf.set(
                CheckpointingOptions.SAVEPOINT_DIRECTORY,
                checkpointDir.resolve("savepoints").toUri().toString());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
        return conf;
    }

    /**
     * The newest retained checkpoint or savepoint under {@code dir} (a folder holding {@code
     * _metadata}: {@code <job>/chk-N} or {@code savepoints/savepoint-*}), if any.
     */
    public static Optional<Path> latestSnapshot(Path dir) {
        // Listed level by level, skipping what vanishes meanwhile: a job that is still shutting
        // down may be deleting subsumed checkpoints while this looks.
        Path newest = null;
        long newestTime = Long.MIN_VALUE;
        for (Path parent : list(dir)) {
            for (Path candidate : list(parent)) {
                long time = modified(candidate.resolve("_metadata"));
                if (time > newestTime) {
                    newest = candidate;
                    newestTime = time;
                }
            }
        }
        return Optional.ofNullable(newest);
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE; // no _metadata (yet, or any more): not a usable snapshot
        }
    }
}
