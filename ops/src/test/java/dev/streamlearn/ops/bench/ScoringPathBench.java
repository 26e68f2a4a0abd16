package dev.streamlearn.ops.bench;

import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.family.text.TextPrediction;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.avro.TokenContribution;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * pick the explaining tokens, build and encode the {@code TextScore}, timed per stage. Next to
 * {@link ScorerBench} it tells how much of the scorer's per-event cost is its own work. A harness,
 * run by hand.
 */
public final class ScoringPathBench {
    public static void main(String[] args) throws Exception {
        ModelSpec spec =
                ModelSpec.defaults(TextClassifierFamily.INSTANCE)
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
        String[] stages = {"decode", "tokenize", "kernel", "explain+record", "encode"};
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        for (int round = 1; round <= rounds; round++) {
            long[] spent = new long[stages.length];
            long start = System.nanoTime();
            long cpuStart = cpu.getCurrentThreadCpuTime();
            long bytes = 0;
            for (byte[] value : events) {
                long t0 = System.nanoTime();
                TextEvent event =
                        Topics.TEXT_EVENTS
                                .valueSerde()
                                .deserializer()
                                .deserialize("text-events", value);
                long t1 = System.nanoTime();
                TokenizedText tokens = model.tokenizer().tokenize(event.getText());
                long t2 = System.nanoTime();
                TextPrediction prediction = model.predict(tokens);
                long t3 = System.nanoTime();
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
                                Instant.now(),
                                null);
                long t4 = System.nanoTime();
                bytes +=
                        Topics.TEXT_SCORES
                                .valueSerde()
                                .serializer()
                                .serialize("text-scores", score)
                                .length;
                long t5 = System.nanoTime();
                spent[0] += t1 - t0;
                spent[1] += t2 - t1;
                spent[2] += t3 - t2;
                spent[3] += t4 - t3;
                spent[4] += t5 - t4;
            }
            StringBuilder split = new StringBuilder();
            for (int i = 0; i < stages.length; i++) {
                split.append(String.format(" %s %.1f", stages[i], spent[i] / 1e3 / events.size()));
            }
            System.out.printf(
                    "round %d: %.1f us per mail, %.1f us CPU (%d mails, %d bytes per score); us per"
                            + " stage:%s%n",
                    round,
                    (System.nanoTime() - start) / 1e3 / events.size(),
                    (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e3 / events.size(),
                    events.size(),
                    bytes / events.size(),
                    split);
        }
    }
}
