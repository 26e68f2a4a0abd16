package dev.streamlearn.ingestion.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.ingestion.normalize.JsonEvents.InvalidEventException;
import dev.streamlearn.schemas.avro.ImageEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;

/**
 * The JSON shapes of {@code image-events-json}: pixels as numbers, or a whole PNG.
 *
 * <pre>
 * {"id": "d-1", "label": "7", "width": 28, "height": 28, "channels": 1, "pixels": [0, 0, 255, ...]}
 * {"id": "d-2", "label": "7", "png": "iVBORw0KGgo..."}
 * </pre>
 *
 * {@code pixels} holds width x height x channels integers 0-255, row-major and channel-last (each
 * pixel's channels together); {@code channels} is 1 (greyscale, the default) or 3 (RGB). {@code
 * png} is a base64 PNG (standard alphabet; a {@code data:image/png;base64,} prefix is allowed); its
 * channels follow the PNG (greyscale 1, colour 3) unless {@code channels} asks for 1 or 3 ({@link
 * PngPixels} converts). {@code id}, {@code label} and {@code eventTime} are optional as in {@link
 * JsonEvents}.
 */
public final class JsonImages {
    private static final String TOPIC = "image-events-json";
    private static final String DATA_URL_PREFIX = "data:image/png;base64,";

    /**
     * At most this many pixel values (width x height x channels) in one image: with the record
     * around them they fit the broker's default message size (1 MiB).
     */
    public static final int MAX_PIXEL_VALUES = 1_000_000;

    private JsonImages() {}

    public static ImageEvent imageEvent(String json, String key, Instant recordTime)
            throws InvalidEventException {
        JsonNode node = JsonEvents.parse(json, TOPIC);
        JsonNode png = node.get("png");
        JsonNode pixels = node.get("pixels");
        boolean hasPng = png != null && !png.isNull();
        boolean hasPixels = pixels != null && !pixels.isNull();
        if (hasPng == hasPixels) {
            throw new InvalidEventException(
                    TOPIC
                            + (hasPng
                                    ? ": both 'pixels' and 'png' are given, expected one of them"
                                    : ": no 'pixels' or 'png' field, expected 'pixels' with"
                                            + " 'width' and 'height', or a base64 'png'"));
        }
        String id = JsonEvents.optionalText(node, "id", TOPIC);
        if (id == null) {
            id = key;
        }
        if (id == null || id.isEmpty()) {
            throw new InvalidEventException(
                    TOPIC + ": no 'id' field and no record key, expected one of them");
        }
        String label = JsonEvents.optionalText(node, "label", TOPIC);
        Instant eventTime = JsonEvents.eventTime(node, recordTime, TOPIC);
        ImageEvent.Builder event =
                ImageEvent.newBuilder()
                        .setId(id)
                        .setEventTime(eventTime)
                        .setLabel(label == null || label.isEmpty() ? null : label);
        if (hasPng) {
            PngPixels image = fromPng(png, channels(node, 0));
            return event.setWidth(image.width)
                    .setHeight(image.height)
                    .setChannels(image.channels)
                    .setPixels(ByteBuffer.wrap(image.pixels))
                    .build();
        }
        int width = dimension(node, "width");
        int height = dimension(node, "height");
        int channels = channels(node, 1);
        return event.setWidth(width)
                .setHeight(height)
                .setChannels(channels)
                .setPixels(ByteBuffer.wrap(fromArray(pixels, width, height, channels)))
                .build();
    }

    private static PngPixels fromPng(JsonNode png, int channels) throws InvalidEventException {
        if (!png.isTextual()) {
            throw new InvalidEventException(
                    TOPIC
                            + ": field 'png' is "
                            + JsonEvents.describe(png)
                            + ", expected a base64 PNG string");
        }
        String text = png.asText();
        if (text.startsWith(DATA_URL_PREFIX)) {
            text = text.substring(DATA_URL_PREFIX.length());
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(
                    TOPIC + ": field 'png' is not base64 (" + e.getMessage() + ")");
        }
        try {
            return PngPixels.decode(bytes, channels, MAX_PIXEL_VALUES);
        } catch (PngPixels.NotAPngException e) {
            throw new InvalidEventException(TOPIC + ": field 'png' " + e.getMessage());
        }
    }

    private static byte[] fromArray(JsonNode array, int width, int height, int channels)
            throws InvalidEventException {
        long expected = (long) width * height * channels;
        if (expected > MAX_PIXEL_VALUES) {
            throw new InvalidEventException(
                    TOPIC
                            + ": "
                            + width
                            + "x"
                            + height
                            + "x"
                            + channels
                            + " is "
                            + expected
                            + " pixel values, expected at most "
                            + MAX_PIXEL_VALUES);
        }
        if (!array.isArray()) {
            throw new InvalidEventException(
                    TOPIC
                            + ": field 'pixels' is "
                            + JsonEvents.describe(array)
                            + ", expected an array of integers 0-255");
        }
        if (array.size() != expected) {
            throw new InvalidEventException(
                    TOPIC
                            + ": field 'pixels' has "
                            + array.size()
                            + " values, expected width x height x channels = "
                            + width
                            + " x "
                            + height
                            + " x "
                            + channels
                            + " = "
                            + expected);
        }
        byte[] pixels = new byte[array.size()];
        for (int i = 0; i < pixels.length; i++) {
            JsonNode value = array.get(i);
            if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > 255) {
                throw new InvalidEventException(
                        TOPIC
                                + ": pixels["
                                + i
                                + "] is "
                                + JsonEvents.describe(value)
                                + ", expected an integer 0-255");
            }
            pixels[i] = (byte) value.asInt();
        }
        return pixels;
    }

    private static int dimension(JsonNode node, String field) throws InvalidEventException {
        JsonNode value = node.get(field);
        if (value == null
                || !value.isIntegralNumber()
                || value.asLong() < 1
                || !value.canConvertToInt()) {
            throw new InvalidEventException(
                    TOPIC
                            + ": field '"
                            + field
                            + "' is "
                            + JsonEvents.describe(value)
                            + ", expected a positive integer");
        }
        return value.asInt();
    }

    /** The {@code channels} field, or {@code absent} when it is missing. */
    private static int channels(JsonNode node, int absent) throws InvalidEventException {
        JsonNode value = node.get("channels");
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isIntegralNumber() || (value.asLong() != 1 && value.asLong() != 3)) {
            throw new InvalidEventException(
                    TOPIC
                            + ": field 'channels' is "
                            + JsonEvents.describe(value)
                            + ", expected 1 (greyscale) or 3 (RGB)");
        }
        return value.asInt();
    }
}
