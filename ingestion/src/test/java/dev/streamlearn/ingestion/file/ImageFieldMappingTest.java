package dev.streamlearn.ingestion.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.schemas.avro.ImageEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageFieldMappingTest {
    /** A CSV row in the MNIST file's layout, 2x2 greyscale: id, label, p0..p3. */
    private static FileRow csvRow(String p2) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", "0-0595");
        fields.put("label", "0");
        fields.put("p0", "0");
        fields.put("p1", "17");
        fields.put("p2", p2);
        fields.put("p3", "255");
        return new FileRow("mnist.csv", 2, fields, null);
    }

    @Test
    void withoutPixelFieldsTheyArePZeroToPNMinusOneInImageOrder() {
        ImageFieldMapping mapping = new ImageFieldMapping("id", List.of(), 2, 2, 1, "label", null);

        ImageEvent image = mapping.map(csvRow("128")).value();

        assertThat(image.getId()).isEqualTo("0-0595");
        assertThat(image.getLabel()).isEqualTo("0");
        assertThat(List.of(image.getWidth(), image.getHeight(), image.getChannels()))
                .containsExactly(2, 2, 1);
        assertThat(image.getPixels().array()).containsExactly(0, 17, (byte) 128, (byte) 255);
    }

    @Test
    void aPositionRangeTakesCsvColumnsCountedFromOne() {
        ImageFieldMapping mapping =
                new ImageFieldMapping("id", List.of("6-6", "3-5"), 2, 2, 1, "label", null);

        assertThat(mapping.map(csvRow("9")).value().getPixels().array())
                .containsExactly((byte) 255, 0, 17, 9);
    }

    @Test
    void aPixelThatIsNotAnIntegerFrom0To255IsRejectedNamingTheField() {
        ImageFieldMapping mapping =
                new ImageFieldMapping("id", List.of("p0-p3"), 2, 2, 1, "label", null);

        assertThat(mapping.map(csvRow("256")).rejection().reason())
                .isEqualTo("pixel field 'p2' is '256', expected an integer 0-255");
        assertThat(mapping.map(csvRow("0.5")).rejection().reason())
                .isEqualTo("pixel field 'p2' is '0.5', expected an integer 0-255");
        assertThat(mapping.map(csvRow("-1")).rejection().reason())
                .isEqualTo("pixel field 'p2' is '-1', expected an integer 0-255");
        assertThat(mapping.map(csvRow(" ")).rejection().reason())
                .isEqualTo("pixel field 'p2' is missing or empty");
    }

    @Test
    void pixelFieldsThatDoNotCoverTheImageAreRefusedBeforeAnyRowIsRead() {
        assertThatThrownBy(
                        () -> new ImageFieldMapping("id", List.of("p0-p2"), 2, 2, 1, "label", null))
                .hasMessage(
                        "--pixel-fields lists 3 fields, expected width x height x channels = 2 x 2"
                                + " x 1 = 4");
        assertThatThrownBy(() -> new ImageFieldMapping("id", List.of(), 2, 2, 2, "label", null))
                .hasMessageContaining("1 (greyscale) or 3 (RGB) channels");
        assertThatThrownBy(
                        () -> new ImageFieldMapping("id", List.of("p3-p0"), 2, 2, 1, "label", null))
                .hasMessageContaining("'p3-p0' runs backwards");
    }
}
