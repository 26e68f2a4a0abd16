package dev.streamlearn.ops.local;

import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * How `streamlearn local` runs.
 *
 * @param dataDir everything that must survive a restart: broker logs, checkpoints, state, replay
 *     progress
 * @param kafkaPort the broker's port on 127.0.0.1
 * @param dashboardPort the dashboard's port on 127.0.0.1 (0 picks a free one)
 * @param trainerMetricsPort the port of the trainer's Flink Prometheus reporter on 127.0.0.1 (0
 *     picks a free one, -1 serves none)
 * @param datasets dataset specs (see {@link Dataset#parse})
 * @param replayRate events per second per data set
 * @param training how the trainer publishes versions and sizes mini-batches
 * @param models the models the trainer learns (both families' default models, with any
 *     hyper-parameters the command line set)
 */
public record LocalOptions(
        Path dataDir,
        int kafkaPort,
        int dashboardPort,
        int trainerMetricsPort,
        List<String> datasets,
        double replayRate,
        TrainingOptions training,
        List<ModelDefinition> models) {
    public static final List<String> DEFAULT_DATASETS = List.of("sensors", "spam");
    public static final double DEFAULT_REPLAY_RATE = 20;
}
