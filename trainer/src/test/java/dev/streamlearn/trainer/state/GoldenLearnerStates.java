package dev.streamlearn.trainer.state;

import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.training.DriftWatch;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.ModelTrainer;
import dev.streamlearn.trainer.training.TrainingInput;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Writes a learner's checkpoint as {@link LearnerStateSerializer} encodes it today, for golden
 * files: a small text classifier trained on 900 generated texts whose labels swap at 700, so its
 * drift watch has detected the swap and is boosting the learner when the state is taken; and the
 * trainer's metrics then ({@code .properties}). The format-1 files under {@code
 * src/test/resources/checkpoints} were written by the same trainer while format 1 was current: the
 * drift watch's state at the end of the prequential sums, after its length and a marker ({@code
 * drift-mark}); and the sums alone, as checkpoints from before drift detection held them ({@code
 * no-drift}).
 *
 * <pre>
 * cd trainer && java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     dev.streamlearn.trainer.state.GoldenLearnerStates DIRECTORY PREFIX
 * </pre>
 */
public final class GoldenLearnerStates {
    static final Map<String, String> SPEC =
            Map.of("vocabSize", "256", "embeddingSize", "4", "batchSize", "8");

    private GoldenLearnerStates() {}

    static ModelDefinition model() {
        return new ModelDefinition("golden", TextClassifierFamily.INSTANCE, SPEC);
    }

    /** The trainer the golden files hold, trained afresh. */
    static ModelTrainer trained() {
        ModelTrainer trainer = TrainingFamilies.newTrainer(model());
        Random random = new Random(17);
        for (int i = 0; i < 900; i++) {
            boolean spam = random.nextBoolean();
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 6; w++) {
                text.append(spam ? "offer" : "meeting").append(random.nextInt(20)).append(' ');
            }
            String label = spam ^ (i >= 700) ? "spam" : "ham";
            trainer.offer(
                    new TrainingInput.TextExample(
                            "golden",
                            new RecordOrigin("texts", 0, i, -1, null, null),
                            "t" + i,
                            i,
                            text.toString(),
                            label));
        }
        return trainer;
    }

    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args[0]);
        String prefix = args[1];
        ModelTrainer trainer = trained();
        LearnerState state =
                new LearnerState(
                        trainer.learnerSnapshot(),
                        trainer.prequentialSums(),
                        DriftWatch.STATE_FORMAT,
                        trainer.driftState(),
                        trainer.labelCounts(),
                        3,
                        2,
                        0.25,
                        896,
                        1_700_000_000_000L,
                        LearnerState.NO_TIMER,
                        Map.of());
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        LearnerStateSerializer.INSTANCE.serialize(state, out);
        Files.write(directory.resolve(prefix + ".bin"), out.getCopyOfBuffer());
        properties(directory, prefix, trainer);
    }

    private static void properties(Path directory, String name, ModelTrainer trainer)
            throws IOException {
        try (Writer w = Files.newBufferedWriter(directory.resolve(name + ".properties"))) {
            for (Map.Entry<String, Double> e : new TreeMap<>(trainer.metrics()).entrySet()) {
                w.write(String.format(Locale.ROOT, "%s=%s%n", e.getKey(), e.getValue()));
            }
        }
    }
}
