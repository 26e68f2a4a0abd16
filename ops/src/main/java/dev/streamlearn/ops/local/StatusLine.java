package dev.streamlearn.ops.local;

import dev.streamlearn.scorer.scoring.ScorerMetrics;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One line saying how the local pipeline is doing: events in, versions, scores out, dead letters.
 */
final class StatusLine {
    private StatusLine() {}

    static String of(LocalPipeline pipeline) {
        ScorerMetrics scorer = pipeline.scorer().metrics();
        long replayed = pipeline.replays().stream().mapToLong(DatasetReplay::sentThisRun).sum();
        long eventsIn = replayed + pipeline.normalizer().counts().normalized.sum();
        long scored =
                scorer.textScored.sum()
                        + scorer.seriesScored.sum()
                        + scorer.vectorScored.sum()
                        + scorer.imageScored.sum();
        long deadLetters =
                scorer.deadLettered.sum()
                        + scorer.versionsRejected.sum()
                        + pipeline.normalizer().counts().deadLettered.sum()
                        + pipeline.replays().stream().mapToLong(DatasetReplay::rejected).sum();
        Map<String, Long> versions = new TreeMap<>();
        pipeline.scorer()
                .registry()
                .ifPresent(
                        registry -> {
                            for (String model : pipeline.modelNames()) {
                                registry.latest(model).ifPresent(v -> versions.put(model, v));
                            }
                        });
        String versionText =
                versions.isEmpty()
                        ? "none yet"
                        : versions.entrySet().stream()
                                .map(e -> e.getKey() + " v" + e.getValue())
                                .collect(Collectors.joining(", "));
        String replays =
                pipeline.replays().stream()
                        .map(StatusLine::replay)
                        .collect(Collectors.joining(" "));
        return String.format(
                "events in %,d | versions: %s | scores out %,d | dead letters %,d | waiting %,d | %s",
                eventsIn, versionText, scored, deadLetters, scorer.pending.get(), replays);
    }

    private static String replay(DatasetReplay replay) {
        long total = replay.total();
        return total > 0
                ? String.format("%s %d%%", replay.name(), 100 * replay.done() / total)
                : replay.name();
    }
}
