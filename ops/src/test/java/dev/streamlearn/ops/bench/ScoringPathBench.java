package dev.streamlearn.ops.bench;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.kernel.ParameterLayout;
import dev.streamlearn.models.kernel.TextClassifierModel;
import dev.streamlearn.models.kernel.TextPrediction;
import dev.streamlearn.models.spec.ModelKind;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.TextClassifierSpec;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.avro.TokenContribution;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The text scorer's per-event work without Kafka: decode the Avro event, tokenize, run the kernel,
 * pick the explaining tokens, build and encode the {@code TextScore}. Next to {@link ScorerBench}
 * it tells how much of the scorer's per-event cost is its own work. A harness, run by hand.
 */
public final class ScoringPathBench {
    public static void main(String[] args) throws Exception {
        ModelSpec spec =
                ModelSpec.defaults(ModelKind.TEXT_CLASSIFIER)
                        .with(TextClassifierSpec.LABELS, "ham,spam");
        float[] params = new float[ParameterLayout.of(spec).size()];
        Random random = new Random(1);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.05);
        }
        List<byte[]> events = new ArrayList<>();
        Path file = Path.of(args.length > 0 ? args[0] : "datasets/spamassassin.jsonl.gz");
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(Files.newInputStream(file)),
                                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int at = line.indexOf("\"text\": \""); // the same bodies ScorerBench sends
                String text =
                        at < 0
                                ? line
                                : line.substring(at + 9, Math.min(line.length(), at + 9 + 2000));
                TextEvent event = new TextEvent("b" + events.size(), Instant.now(), text, null);
                events.add(
                        Topics.TEXT_EVENTS
                                .valueSerde()
                                .serializer()
                                .serialize("text-events", event));
            }
        }
        TextClassifierModel model = new TextClassifierModel(new ModelWeights(spec, params));
        for (int round = 1; round <= 4; round++) {
            long start = System.nanoTime();
            long bytes = 0;
            for (byte[] value : events) {
                TextEvent event =
                        Topics.TEXT_EVENTS
                                .valueSerde()
                                .deserializer()
                                .deserialize("text-events", value);
                TextPrediction prediction = model.predict(event.getText());
                List<TokenContribution> explanation =
                        prediction.strongest(5).stream()
                                .map(c -> new TokenContribution(c.token(), c.contribution()))
                                .toList();
                TextScore score =
                        new TextScore(
                                event.getId(),
                                event.getEventTime(),
                                prediction.label(),
                                prediction.probabilities(),
                                explanation,
                                event.getLabel(),
                                "text-classifier",
                                1L,
                                Instant.now());
                bytes +=
                        Topics.TEXT_SCORES
                                .valueSerde()
                                .serializer()
                                .serialize("text-scores", score)
                                .length;
            }
            System.out.printf(
                    "round %d: %.1f us per mail (%d mails, %d bytes per score)%n",
                    round,
                    (System.nanoTime() - start) / 1e3 / events.size(),
                    events.size(),
                    bytes / events.size());
        }
    }
}
