package dev.streamlearn.ops.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.ops.json.AvroJson;
import dev.streamlearn.schemas.avro.VectorScore;

/**
 * The latest vector scores (mlp-classifier models) with each feature's contribution to the
 * predicted label's logit, and how many labelled ones were right.
 */
final class VectorBoard {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Bounded<VectorScore> scores;
    private long correct;
    private long labelled;

    VectorBoard(int scoresShown) {
        this.scores = new Bounded<>(scoresShown);
    }

    void score(VectorScore score) {
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
        for (VectorScore score : scores.items()) {
            latest.insert(0, AvroJson.toJson(score)); // newest first
        }
        return node;
    }
}
