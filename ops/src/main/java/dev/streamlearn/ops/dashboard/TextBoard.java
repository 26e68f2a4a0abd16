package dev.streamlearn.ops.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.ops.json.AvroJson;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latest text scores with their explaining tokens, joined with the text they scored (from
 * {@code text-events}, by event id) so the page can highlight the tokens where they occur.
 */
final class TextBoard {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int TEXTS_KEPT = 5_000;
    private static final int TEXT_SHOWN_CHARS = 700;

    private final Bounded<TextScore> scores;
    private final Map<String, String> texts =
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > TEXTS_KEPT;
                }
            };
    private long correct;
    private long labelled;

    TextBoard(int scoresShown) {
        this.scores = new Bounded<>(scoresShown);
    }

    void event(TextEvent event) {
        String text = event.getText();
        texts.put(
                event.getId(),
                text.length() > TEXT_SHOWN_CHARS ? text.substring(0, TEXT_SHOWN_CHARS) : text);
    }

    void score(TextScore score) {
        scores.add(score);
        if (score.getTrueLabel() != null) {
            labelled++;
            if (score.getTrueLabel().equals(score.getPredictedLabel())) {
                correct++;
            }
        }
    }

    ObjectNode json() {
        ObjectNode node = NODES.objectNode();
        node.put("labelled", labelled);
        node.put("correct", correct);
        ArrayNode latest = node.putArray("latest");
        for (TextScore score : scores.items()) {
            ObjectNode item = AvroJson.toJson(score);
            item.put("text", texts.get(score.getEventId()));
            latest.insert(0, item); // newest first
        }
        return node;
    }
}
