package dev.streamlearn.ops.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.ops.json.AvroJson;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.avro.ImageScore;
import dev.streamlearn.schemas.serde.ByteBuffers;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latest image scores (cnn-classifier models) with their saliency grids, joined with the image
 * they scored (from {@code image-events}, by event id) so the page can draw the digit under its
 * saliency; and how many labelled ones were right.
 */
final class ImageBoard {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * Images larger than this (width x height x channels) are not kept: a card cannot show them at
     * any useful size, and one such image could take the whole budget.
     */
    static final int DRAWN_VALUES_MAX = 128 * 128 * 3;

    /** Pixel bytes kept for joining, oldest dropped first: MNIST digits by the thousand. */
    private static final long KEPT_BYTES_MAX = 4L * 1024 * 1024;

    private record Image(int width, int height, int channels, byte[] pixels) {}

    private final Bounded<ImageScore> scores;
    private final Map<String, Image> images = new LinkedHashMap<>();
    private long keptBytes;
    private long correct;
    private long labelled;

    ImageBoard(int scoresShown) {
        this.scores = new Bounded<>(scoresShown);
    }

    void event(ImageEvent event) {
        if (event.getPixels().remaining() > DRAWN_VALUES_MAX) {
            return;
        }
        Image image =
                new Image(
                        event.getWidth(),
                        event.getHeight(),
                        event.getChannels(),
                        ByteBuffers.copyOf(event.getPixels()));
        Image replaced = images.put(event.getId(), image);
        keptBytes += image.pixels().length - (replaced == null ? 0 : replaced.pixels().length);
        Iterator<Image> oldest = images.values().iterator();
        while (keptBytes > KEPT_BYTES_MAX && oldest.hasNext()) {
            keptBytes -= oldest.next().pixels().length;
            oldest.remove();
        }
    }

    void score(ImageScore score) {
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
        for (ImageScore score : scores.items()) {
            ObjectNode item = AvroJson.toJson(score);
            // Joined when the page is drawn, not when the score arrives: the feed may read a score
            // before the image it scored.
            Image image = images.get(score.getEventId());
            if (image == null) {
                item.putNull("image");
            } else {
                ObjectNode drawn = item.putObject("image");
                drawn.put("width", image.width());
                drawn.put("height", image.height());
                drawn.put("channels", image.channels());
                drawn.put("pixels", Base64.getEncoder().encodeToString(image.pixels()));
            }
            latest.insert(0, item); // newest first
        }
        return node;
    }
}
