package dev.streamlearn.ingestion.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ImageEvent;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code image-events-json} shapes: {@code {"width", "height", "channels"?, "pixels"}} or
 * {@code {"png"}} (base64), each with optional {@code id}, {@code label} and {@code eventTime}.
 */
class ImageNormalizerTest {
    private static final Instant RECORD_TIME = Instant.parse("2026-12-05T12:00:00Z");

    @TempDir Path stateDir;
    private final NormalizerTopology.Counts counts = new NormalizerTopology.Counts();
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> json;
    private TestOutputTopic<String, ImageEvent> images;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;

    @BeforeEach
    void start() {
        driver =
                new TopologyTestDriver(
                        NormalizerTopology.build(counts),
                        NormalizerApp.config("127.0.0.1:9", stateDir));
        StringSerializer strings = new StringSerializer();
        json = driver.createInputTopic(Topics.IMAGE_EVENTS_JSON.name(), strings, strings);
        images = output(Topics.IMAGE_EVENTS);
        deadLetters = output(Topics.DEAD_LETTERS);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aPixelArrayBecomesAnImageKeyedByIdOrTheRecordKeyOneChannelByDefault() {
        json.pipeInput(
                "d-1",
                "{\"width\":3,\"height\":2,\"pixels\":[0,1,2,253,254,255],\"label\":\"7\"}",
                RECORD_TIME);
        json.pipeInput(
                null,
                "{\"id\":\"d-2\",\"width\":1,\"height\":2,\"channels\":3,"
                        + "\"pixels\":[255,0,0,0,0,255],\"eventTime\":\"2026-01-01T00:00:00Z\"}",
                RECORD_TIME);

        assertThat(images.readKeyValuesToList())
                .extracting(kv -> kv.key + " " + kv.value)
                .containsExactly(
                        "d-1 " + image("d-1", RECORD_TIME, 3, 2, 1, "7", 0, 1, 2, 253, 254, 255),
                        "d-2 "
                                + image(
                                        "d-2",
                                        Instant.parse("2026-01-01T00:00:00Z"),
                                        1,
                                        2,
                                        3,
                                        null,
                                        255,
                                        0,
                                        0,
                                        0,
                                        0,
                                        255));
        assertThat(counts.normalized.sum()).isEqualTo(2);
    }

    @Test
    void aGreyscalePngGivesOneChannelWithItsExactValues() {
        BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] values = {0, 17, 128, 200, 254, 255};
        grey.getRaster().setPixels(0, 0, 3, 2, values);

        json.pipeInput("g", "{\"png\":\"" + base64Png(grey) + "\",\"label\":\"0\"}", RECORD_TIME);

        assertThat(images.readValue())
                .isEqualTo(image("g", RECORD_TIME, 3, 2, 1, "0", 0, 17, 128, 200, 254, 255));
    }

    @Test
    void aSixteenBitGreyscalePngIsScaledToBytes() {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setPixels(0, 0, 2, 1, new int[] {65535, 32896});

        json.pipeInput("g16", "{\"png\":\"" + base64Png(grey) + "\"}", RECORD_TIME);

        assertThat(images.readValue())
                .isEqualTo(image("g16", RECORD_TIME, 2, 1, 1, null, 255, 128));
    }

    @Test
    void aColourPngGivesThreeChannelsOrGreyByLumaWhenOneIsAskedFor() {
        BufferedImage colour = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        colour.setRGB(0, 0, 0xff0000);
        colour.setRGB(1, 0, 0x10ff80);
        String png = base64Png(colour);

        json.pipeInput("c3", "{\"png\":\"" + png + "\"}", RECORD_TIME);
        json.pipeInput(
                "c1",
                "{\"png\":\"data:image/png;base64," + png + "\",\"channels\":1}",
                RECORD_TIME);

        assertThat(images.readValuesToList())
                .containsExactly(
                        image("c3", RECORD_TIME, 2, 1, 3, null, 255, 0, 0, 0x10, 0xff, 0x80),
                        // 0.299 R + 0.587 G + 0.114 B, rounded
                        image("c1", RECORD_TIME, 2, 1, 1, null, 76, 169));
    }

    @Test
    void transparencyIsCompositedOverBlack() {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00ffffff);
        argb.setRGB(1, 0, 0x80ffffff);

        json.pipeInput("a", "{\"png\":\"" + base64Png(argb) + "\",\"channels\":1}", RECORD_TIME);

        // alpha 0x80 is 128/255 of white: 128
        assertThat(images.readValue()).isEqualTo(image("a", RECORD_TIME, 2, 1, 1, null, 0, 128));
    }

    @Test
    void pixelArraysThatDoNotFitTheirSizeOrByteRangeAreDeadLetteredWithTheReason() {
        json.pipeInput("a", "{\"width\":2,\"height\":2,\"pixels\":[0,1,2]}", RECORD_TIME);
        json.pipeInput("b", "{\"width\":2,\"height\":1,\"pixels\":[0,256]}", RECORD_TIME);
        json.pipeInput("c", "{\"width\":2,\"height\":1,\"pixels\":[-1,0]}", RECORD_TIME);
        json.pipeInput("d", "{\"width\":2,\"height\":1,\"pixels\":[0,1.5]}", RECORD_TIME);
        json.pipeInput("e", "{\"height\":1,\"pixels\":[0]}", RECORD_TIME);
        json.pipeInput(
                "f", "{\"width\":1,\"height\":1,\"channels\":2,\"pixels\":[0,0]}", RECORD_TIME);
        json.pipeInput("g", "{\"width\":2000,\"height\":2000,\"pixels\":[]}", RECORD_TIME);
        json.pipeInput("h", "{\"label\":\"7\"}", RECORD_TIME);

        assertThat(deadLetters.readValuesToList())
                .extracting(DeadLetter::getError)
                .containsExactly(
                        "image-events-json: field 'pixels' has 3 values, expected width x height"
                                + " x channels = 2 x 2 x 1 = 4",
                        "image-events-json: pixels[1] is number 256, expected an integer 0-255",
                        "image-events-json: pixels[0] is number -1, expected an integer 0-255",
                        "image-events-json: pixels[1] is number 1.5, expected an integer 0-255",
                        "image-events-json: field 'width' is missing, expected a positive integer",
                        "image-events-json: field 'channels' is number 2, expected 1 (greyscale)"
                                + " or 3 (RGB)",
                        "image-events-json: 2000x2000x1 is 4000000 pixel values, expected at most"
                                + " 1000000",
                        "image-events-json: no 'pixels' or 'png' field, expected 'pixels' with"
                                + " 'width' and 'height', or a base64 'png'");
        assertThat(images.isEmpty()).isTrue();
        assertThat(counts.deadLettered.sum()).isEqualTo(8);
    }

    @Test
    void aPngThatIsNotBase64NotAPngOrDamagedIsDeadLetteredWithTheReason() {
        byte[] png =
                Base64.getDecoder()
                        .decode(base64Png(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY)));
        String truncated = Base64.getEncoder().encodeToString(Arrays.copyOf(png, 20));
        String text = Base64.getEncoder().encodeToString("hello".getBytes());

        json.pipeInput("a", "{\"png\":\"not base64!\"}", RECORD_TIME);
        json.pipeInput("b", "{\"png\":\"" + text + "\"}", RECORD_TIME);
        json.pipeInput("c", "{\"png\":\"" + truncated + "\"}", RECORD_TIME);
        json.pipeInput("d", "{\"png\":42}", RECORD_TIME);
        json.pipeInput(
                "e",
                "{\"png\":\""
                        + base64Png(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY))
                        + "\",\"pixels\":[0]}",
                RECORD_TIME);

        assertThat(deadLetters.readValuesToList())
                .extracting(DeadLetter::getError)
                .satisfiesExactly(
                        e ->
                                assertThat(e)
                                        .startsWith(
                                                "image-events-json: field 'png' is not base64 ("),
                        e ->
                                assertThat(e)
                                        .isEqualTo(
                                                "image-events-json: field 'png' is not a PNG (it"
                                                        + " does not start with the PNG"
                                                        + " signature)"),
                        e ->
                                assertThat(e)
                                        .startsWith(
                                                "image-events-json: field 'png' is a damaged PNG ("),
                        e ->
                                assertThat(e)
                                        .isEqualTo(
                                                "image-events-json: field 'png' is number 42,"
                                                        + " expected a base64 PNG string"),
                        e ->
                                assertThat(e)
                                        .isEqualTo(
                                                "image-events-json: both 'pixels' and 'png' are"
                                                        + " given, expected one of them"));
        assertThat(images.isEmpty()).isTrue();
    }

    private static ImageEvent image(
            String id,
            Instant eventTime,
            int width,
            int height,
            int channels,
            String label,
            int... pixels) {
        byte[] bytes = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            bytes[i] = (byte) pixels[i];
        }
        return new ImageEvent(
                id, eventTime, width, height, channels, ByteBuffer.wrap(bytes), label);
    }

    private static String base64Png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(
                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
