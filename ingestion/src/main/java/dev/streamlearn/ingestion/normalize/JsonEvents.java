package dev.streamlearn.ingestion.normalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.ingestion.file.EventTimes;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.VectorEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON shapes any client may send, and their checks. Fields beyond these are ignored, so
 * producers can add their own.
 *
 * <pre>
 * series-points-json: {"seriesId": "mote-1", "value": 27.97, "eventTime": "2010-05-09T10:00:00Z"}
 * text-events-json:   {"id": "m-1", "text": "Cheap loans", "label": "spam", "eventTime": 1273399200000}
 * </pre>
 *
 * (vector-events-json below; image-events-json in {@link JsonImages}.)
 *
 * <p>{@code eventTime} is optional (ISO-8601 or epoch milliseconds; default: the record's
 * timestamp), as are {@code id} (default: the record key) and {@code label} (unlabelled events are
 * scored, not trained on).
 */
public final class JsonEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonEvents() {}

    /**
     * A JSON value that is not a valid event; the message says which field and what was expected.
     */
    public static final class InvalidEventException extends Exception {
        InvalidEventException(String message) {
            super(message);
        }
    }

    public static SeriesPoint seriesPoint(String json, Instant recordTime)
            throws InvalidEventException {
        JsonNode node = parse(json, "series-points-json");
        String seriesId = requiredText(node, "seriesId", "series-points-json");
        JsonNode value = node.get("value");
        if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw new InvalidEventException(
                    "series-points-json: field 'value' is "
                            + describe(value)
                            + ", expected a finite number");
        }
        return new SeriesPoint(
                seriesId, eventTime(node, recordTime, "series-points-json"), value.asDouble());
    }

    public static TextEvent textEvent(String json, String key, Instant recordTime)
            throws InvalidEventException {
        JsonNode node = parse(json, "text-events-json");
        String text = requiredText(node, "text", "text-events-json");
        String id = optionalText(node, "id", "text-events-json");
        if (id == null) {
            id = key;
        }
        if (id == null || id.isEmpty()) {
            throw new InvalidEventException(
                    "text-events-json: no 'id' field and no record key, expected one of them");
        }
        String label = optionalText(node, "label", "text-events-json");
        return new TextEvent(
                id,
                eventTime(node, recordTime, "text-events-json"),
                text,
                label == null || label.isEmpty() ? null : label);
    }

    /**
     * {@code {"id"?: string (default: the record key), "features": [number, ...], "label"?: string,
     * "eventTime"?: ...}} from {@code vector-events-json}.
     */
    public static VectorEvent vectorEvent(String json, String key, Instant recordTime)
            throws InvalidEventException {
        String topic = "vector-events-json";
        JsonNode node = parse(json, topic);
        JsonNode array = node.get("features");
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new InvalidEventException(
                    topic
                            + ": field 'features' is "
                            + describe(array)
                            + ", expected a non-empty array of numbers");
        }
        List<Double> features = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode value = array.get(i);
            if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
                throw new InvalidEventException(
                        topic
                                + ": features["
                                + i
                                + "] is "
                                + describe(value)
                                + ", expected a finite number");
            }
            features.add(value.asDouble());
        }
        String id = optionalText(node, "id", topic);
        if (id == null) {
            id = key;
        }
        if (id == null || id.isEmpty()) {
            throw new InvalidEventException(
                    topic + ": no 'id' field and no record key, expected one of them");
        }
        String label = optionalText(node, "label", topic);
        return new VectorEvent(
                id,
                eventTime(node, recordTime, topic),
                features,
                label == null || label.isEmpty() ? null : label);
    }

    static JsonNode parse(String json, String topic) throws InvalidEventException {
        if (json == null) {
            throw new InvalidEventException(
                    topic + ": the record has no value, expected a JSON object");
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new InvalidEventException(
                        topic + ": the value is " + describe(node) + ", expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(
                    topic + ": the value is not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static String requiredText(JsonNode node, String field, String topic)
            throws InvalidEventException {
        String text = optionalText(node, field, topic);
        if (text == null) {
            throw new InvalidEventException(
                    topic + ": field '" + field + "' is missing, expected a string");
        }
        return text;
    }

    static String optionalText(JsonNode node, String field, String topic)
            throws InvalidEventException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidEventException(
                    topic
                            + ": field '"
                            + field
                            + "' is "
                            + describe(value)
                            + ", expected a string");
        }
        return value.asText();
    }

    static Instant eventTime(JsonNode node, Instant recordTime, String topic)
            throws InvalidEventException {
        JsonNode value = node.get("eventTime");
        if (value == null || value.isNull()) {
            return recordTime;
        }
        try {
            return Instant.ofEpochMilli(
                    value.isNumber() ? value.asLong() : EventTimes.parse(value.asText()));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(topic + ": field 'eventTime' " + e.getMessage());
        }
    }

    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "missing";
        }
        return value.getNodeType().name().toLowerCase() + " " + value;
    }
}
