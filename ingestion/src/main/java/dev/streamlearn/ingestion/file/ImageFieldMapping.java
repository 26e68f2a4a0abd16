package dev.streamlearn.ingestion.file;

import dev.streamlearn.schemas.avro.ImageEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * Turns file rows of pixel values into {@link ImageEvent}s (the layout of {@code
 * datasets/mnist-8k.csv.gz}: {@code id,label,p0,...,p783}). {@code --pixel-fields} lists the pixel
 * values in the image record's order (row-major, channel-last), as {@code --feature-fields} lists
 * features ({@link FieldRanges}: names, {@code p0-p783}, column positions {@code 3-786}); absent,
 * it is {@code p0} to {@code p<N-1>} for N = width x height x channels. {@code --id-field} (absent
 * or missing: {@code <file>:<line>}), {@code --label-field} (missing or empty: an unlabelled
 * event), {@code --time-field} (absent: the line). A row whose pixel is missing or not an integer
 * 0-255 is rejected naming the field.
 */
public final class ImageFieldMapping {
    private final String idField;
    private final FieldRanges pixels;
    private final int width;
    private final int height;
    private final int channels;
    private final String labelField;
    private final String timeField;

    /**
     * @param pixelFields the pixel fields, or an empty list for {@code p0} to {@code p<N-1>}
     * @throws IllegalArgumentException for a size that is not positive, a range that runs
     *     backwards, or a number of pixel fields other than width x height x channels, naming it
     */
    public ImageFieldMapping(
            String idField,
            List<String> pixelFields,
            int width,
            int height,
            int channels,
            String labelField,
            String timeField) {
        if (width < 1 || height < 1 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException(
                    "image size "
                            + width
                            + "x"
                            + height
                            + "x"
                            + channels
                            + ": expected a positive width and height and 1 (greyscale) or 3"
                            + " (RGB) channels");
        }
        long values = (long) width * height * channels;
        if (values > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "image size " + width + "x" + height + "x" + channels + " is too large");
        }
        this.idField = idField;
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.labelField = labelField;
        this.timeField = timeField;
        this.pixels =
                new FieldRanges(
                        "pixel",
                        "--pixel-fields",
                        pixelFields.isEmpty() ? List.of("p0-p" + (values - 1)) : pixelFields);
        if (pixels.size() != values) {
            throw new IllegalArgumentException(
                    "--pixel-fields lists "
                            + pixels.size()
                            + " fields, expected width x height x channels = "
                            + width
                            + " x "
                            + height
                            + " x "
                            + channels
                            + " = "
                            + values);
        }
    }

    public Mapped<ImageEvent> map(FileRow row) {
        if (row.isError()) {
            return Mapped.rejected(row, row.error());
        }
        FieldRanges.Resolved fields = pixels.resolve(row);
        if (fields.rejection() != null) {
            return Mapped.rejected(row, fields.rejection());
        }
        byte[] values = new byte[pixels.size()];
        int i = 0;
        for (String field : fields.names()) {
            String text = row.fields().get(field);
            if (text == null || text.isBlank()) {
                return Mapped.rejected(row, "pixel field '" + field + "' is missing or empty");
            }
            int value = pixelValue(text.trim());
            if (value < 0) {
                return Mapped.rejected(
                        row,
                        "pixel field '" + field + "' is '" + text + "', expected an integer 0-255");
            }
            values[i++] = (byte) value;
        }
        String id = idField == null ? null : row.fields().get(idField);
        if (id == null || id.isBlank()) {
            id = row.file() + ":" + row.line();
        }
        String label = labelField == null ? null : row.fields().get(labelField);
        if (label != null && label.isBlank()) {
            label = null;
        }
        long time = row.line();
        if (timeField != null) {
            String t = row.fields().get(timeField);
            if (t == null || t.isBlank()) {
                return Mapped.rejected(row, "time field '" + timeField + "' is missing or empty");
            }
            try {
                time = EventTimes.parse(t);
            } catch (IllegalArgumentException e) {
                return Mapped.rejected(row, "time field '" + timeField + "': " + e.getMessage());
            }
        }
        return Mapped.of(
                new ImageEvent(
                        id,
                        Instant.ofEpochMilli(time),
                        width,
                        height,
                        channels,
                        ByteBuffer.wrap(values),
                        label),
                row);
    }

    /** The value of a decimal integer 0-255, or -1; without parsing exceptions in the hot loop. */
    private static int pixelValue(String text) {
        if (text.isEmpty() || text.length() > 3) {
            return -1;
        }
        int value = 0;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 255 ? value : -1;
    }
}
