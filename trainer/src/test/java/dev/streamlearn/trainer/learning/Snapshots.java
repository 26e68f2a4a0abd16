package dev.streamlearn.trainer.learning;

import java.util.LinkedHashMap;
import java.util.Map;

/** Learner snapshots changed in one respect, for tests. Test fixture. */
public final class Snapshots {
    private Snapshots() {}

    /** {@code snapshot} as if its optimizer had taken {@code iteration} steps. */
    public static LearnerSnapshot atIteration(LearnerSnapshot snapshot, int iteration) {
        return new LearnerSnapshot(
                snapshot.kind(),
                snapshot.spec(),
                snapshot.params(),
                snapshot.updaterState(),
                iteration,
                0,
                snapshot.pending(),
                snapshot.examplesSeen());
    }

    /** {@code snapshot} as if taken before its spec had the hyper-parameter {@code name}. */
    public static LearnerSnapshot withoutSpecEntry(LearnerSnapshot snapshot, String name) {
        Map<String, String> spec = new LinkedHashMap<>(snapshot.spec());
        spec.remove(name);
        return new LearnerSnapshot(
                snapshot.kind(),
                spec,
                snapshot.params(),
                snapshot.updaterState(),
                snapshot.iterationCount(),
                snapshot.epochCount(),
                snapshot.pending(),
                snapshot.examplesSeen());
    }
}
