package dev.streamlearn.ops.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.ops.json.AvroJson;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest text scores with their explaining tokens, joined with the text they scored (from
 * {@code text-events}, by event id) so the page can highlight the tokens where they occur; and the
 * pipeline's latency from a text event being produced to its score.
 */
final class TextBoard {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int TEXTS_KEPT = 5_000;
    private static final int TEXT_SHOWN_CHARS = 700;

    private final Bounded<TextScore> scores;

    private record Text(String text, long producedAt) {}

    private final Map<String, Text> texts =
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Text> eldest) {
                    return size() > TEXTS_KEPT;
                }
            };
    // Produced (text-events record time) to scored (scoredAt), in ms, of the latest scores.
    private final Bounded<Long> latencies = new Bounded<>(1_000);
    private long correct;
    private long labelled;

    TextBoard(int scoresShown) {
        this.scores = new Bounded<>(scoresShown);
    }

    void event(TextEvent event, long producedAt) {
        String text = event.getText();
        texts.put(
                event.getId(),
                new Text(
                        text.length() > TEXT_SHOWN_CHARS
                                ? text.substring(0, TEXT_SHOWN_CHARS)
                                : text,
                        producedAt));
    }

    void score(TextScore score) {
        scores.add(score);
        Text text = texts.get(score.getEventId());
        if (text != null) {
            latencies.add(score.getScoredAt().toEpochMilli() - text.producedAt());
        }
        if (score.getTrueLabel() != null) {
            labelled++;
            if (score.getTrueLabel().equals(score.getPredictedLabel())) {
                correct++;
            }
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(List<Long> sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    ObjectNode json() {
        ObjectNode node = NODES.objectNode();
        node.put("labelled", labelled);
        node.put("correct", correct);
        List<Long> sorted = latencies.items().stream().sorted().toList();
        if (!sorted.isEmpty()) {
            ObjectNode latency = node.putObject("latencyMs");
            latency.put("count", sorted.size());
            latency.put("p50", percentile(sorted, 0.50));
            latency.put("p95", percentile(sorted, 0.95));
            latency.put("p99", percentile(sorted, 0.99));
        }
        ArrayNode latest = node.putArray("latest");
        for (TextScore score : scores.items()) {
            ObjectNode item = AvroJson.toJson(score);
            Text text = texts.get(score.getEventId());
            item.put("text", text == null ? null : text.text());
            latest.insert(0, item); // newest first
        }
        return node;
    }
}
