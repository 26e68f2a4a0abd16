package dev.streamlearn.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.cnn.CnnClassifierModel;
import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.models.family.cnn.ImagePrediction;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.pipeline.Pipeline;
import dev.streamlearn.models.pipeline.PipelineFile;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.avro.ImageScore;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.scorer.family.cnn.ImageScoring;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer serving a {@code cnn-classifier} (issue 19 item 2): images scored with the serving
 * version, which each score names, with the kernel's probabilities and saliency grid; swapped for a
 * newer version without a pause, pinned and followed again; images before a first version wait; an
 * image the model cannot read dead-lettered with the reason; the promotion gate choosing by
 * cross-entropy.
 */
class ImageScoringTest {
    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    private static final String MODEL = "digits";

    /** 8x8 greyscale, one convolution of 2 filters: 8 -> 6 -> pooled 3; saliency cells of 4. */
    private static final ModelSpec SPEC =
            CnnClassifierSpec.defaults()
                    .with(CnnClassifierSpec.WIDTH, 8)
                    .with(CnnClassifierSpec.HEIGHT, 8)
                    .with(CnnClassifierSpec.FILTERS, "2")
                    .with(CnnClassifierSpec.DENSE, 4)
                    .with(CnnClassifierSpec.MAX_LABELS, 3)
                    .with(CnnClassifierSpec.LABELS, "0,1,7");

    private static final Pipeline PIPELINE =
            PipelineFile.parse(
                    """
                    models:
                      - {name: digits, family: cnn-classifier, spec: {width: 8, height: 8}}
                    """,
                    "test.yaml");

    @TempDir Path stateDir;
    private final ScorerMetrics metrics = new ScorerMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> versions;
    private TestInputTopic<byte[], byte[]> controls;
    private TestInputTopic<byte[], byte[]> images;
    private TestOutputTopic<String, ImageScore> scores;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;

    @BeforeEach
    void start() {
        open(
                ScorerOptions.defaults()
                        .withServed(PIPELINE)
                        .withDefaultPolicy(ServingPolicy.FOLLOW),
                "follow");
    }

    private void open(ScorerOptions options, String stateSubdir) {
        if (driver != null) {
            driver.close();
        }
        driver =
                new TopologyTestDriver(
                        ScorerTopology.build(options, (key, letter) -> {}, metrics),
                        ScorerConfig.load(null, "127.0.0.1:9", stateDir.resolve(stateSubdir)));
        ByteArraySerializer bytes = new ByteArraySerializer();
        versions = driver.createInputTopic(Topics.MODEL_VERSIONS.name(), bytes, bytes);
        controls = driver.createInputTopic(Topics.MODEL_CONTROL.name(), bytes, bytes);
        images = driver.createInputTopic(Topics.IMAGE_EVENTS.name(), bytes, bytes);
        scores = output(Topics.IMAGE_SCORES);
        deadLetters = output(Topics.DEAD_LETTERS);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void anImageIsScoredWithTheServingVersionsKernelAndItsSaliencyGrid() throws Exception {
        ModelVersion v1 = ModelVersions.of(MODEL, SPEC, 1);
        publish(v1);
        byte[] pixels = stroke(8, 8);

        send(image("d-1", 8, 8, 1, pixels, "1"));

        ImagePrediction expected =
                new CnnClassifierModel(VersionContract.verify(v1).weights())
                        .predict(8, 8, 1, pixels);
        assertThat(scores.readValuesToList())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.getModel()).isEqualTo(MODEL);
                            assertThat(s.getModelVersion()).isEqualTo(1L);
                            assertThat(s.getPredictedLabel()).isEqualTo(expected.predictedLabel());
                            assertThat(s.getProbabilities())
                                    .isEqualTo(expected.probabilities())
                                    .containsOnlyKeys("0", "1", "7");
                            assertThat(s.getSaliencyWidth()).isEqualTo(2);
                            assertThat(s.getSaliencyHeight()).isEqualTo(2);
                            assertThat(s.getSaliency())
                                    .containsExactly(box(expected.saliency().values()));
                            assertThat(s.getSaliency()).anyMatch(v -> v != 0);
                            assertThat(s.getTrueLabel()).isEqualTo("1");
                            assertThat(s.getEventId()).isEqualTo("d-1");
                        });
        assertThat(metrics.imageScored.sum()).isEqualTo(1);
    }

    @Test
    void aNewerVersionServesFromTheNextImageAndAPinHoldsAnOlderOne() {
        byte[] pixels = stroke(8, 8);
        publish(ModelVersions.of(MODEL, SPEC, 1));
        send(image("a", 8, 8, 1, pixels, null));
        publish(ModelVersions.of(MODEL, SPEC, 2));
        send(image("b", 8, 8, 1, pixels, null));
        control(ControlMode.PIN, 1L);
        publish(ModelVersions.of(MODEL, SPEC, 3));
        send(image("c", 8, 8, 1, pixels, null));
        control(ControlMode.FOLLOW_LATEST, null);
        send(image("d", 8, 8, 1, pixels, null));

        assertThat(scores.readValuesToList())
                .extracting(s -> s.getEventId() + " v" + s.getModelVersion())
                .containsExactly("a v1", "b v2", "c v1", "d v3");
    }

    @Test
    void imagesBeforeTheFirstVersionWaitAndAreScoredWhenItArrives() {
        send(image("early", 8, 8, 1, stroke(8, 8), null));
        assertThat(scores.isEmpty()).isTrue();
        assertThat(driver.getKeyValueStore(ImageScoring.PENDING_STORE)).isNotNull();

        publish(ModelVersions.of(MODEL, SPEC, 1));
        send(image("next", 8, 8, 1, stroke(8, 8), null));

        assertThat(scores.readValuesToList())
                .extracting(ImageScore::getEventId)
                .containsExactly("early", "next");
    }

    @Test
    void anImageOfAnotherSizeOrWithMissingPixelsOrUnreadableIsDeadLetteredWithTheReason() {
        publish(ModelVersions.of(MODEL, SPEC, 1));

        send(image("big", 28, 28, 1, new byte[784], null));
        send(image("rgb", 8, 8, 3, new byte[192], null));
        send(image("short", 8, 8, 1, new byte[63], null));
        images.pipeInput(bytes("junk"), bytes("not an image"));

        assertThat(scores.isEmpty()).isTrue();
        assertThat(deadLetters.readValuesToList())
                .extracting(DeadLetter::getError)
                .satisfiesExactly(
                        e ->
                                assertThat(e)
                                        .isEqualTo(
                                                "image-events: image of 28x28x1 (width x height x"
                                                        + " channels), expected 8x8x1 (the model's"
                                                        + " size)"),
                        e ->
                                assertThat(e)
                                        .isEqualTo(
                                                "image-events: image of 8x8x3 (width x height x"
                                                        + " channels), expected 8x8x1 (the model's"
                                                        + " size)"),
                        e ->
                                assertThat(e)
                                        .isEqualTo(
                                                "image-events: 63 pixel bytes for a 8x8x1 image,"
                                                        + " expected 64"),
                        e -> assertThat(e).startsWith("topic image-events: expected"));
        assertThat(metrics.imageScored.sum()).isZero();
    }

    @Test
    void underTheGateAVersionThatTellsLeftFromRightIsPromotedOverOneThatSwapsThem() {
        // Given the gated policy, a version that swaps left and right serving, and a right one as
        // candidate
        open(ScorerOptions.defaults().withServed(PIPELINE), "gated");
        publish(sideTeller(1, "right,left"));
        send(image("first", 2, 1, 1, new byte[] {(byte) 255, 0}, "left"));
        publish(sideTeller(2, "left,right"));

        // When labelled images arrive, bright on the left or on the right
        for (int i = 0; i < 120; i++) {
            boolean left = i % 2 == 0;
            byte[] pixels = left ? new byte[] {(byte) 255, 0} : new byte[] {0, (byte) 255};
            send(image("p-" + i, 2, 1, 1, pixels, left ? "left" : "right"));
        }

        // Then the candidate is promoted and serves, right on every image from then on
        List<ImageScore> scored = scores.readValuesToList();
        assertThat(scored.get(0).getModelVersion()).isEqualTo(1L);
        ImageScore last = scored.get(scored.size() - 1);
        assertThat(last.getModelVersion()).isEqualTo(2L);
        assertThat(last.getPredictedLabel()).isEqualTo(last.getTrueLabel());
    }

    /**
     * A 2x1 image through one 1x1 filter that passes it on, a dense unit that fires for bright-left
     * (x0 - x1), and a head that calls that unit's firing the first label: with labels "left,right"
     * it tells the sides apart, with "right,left" it swaps them.
     */
    private static ModelVersion sideTeller(long version, String labels) {
        ModelSpec spec =
                CnnClassifierSpec.defaults()
                        .with(CnnClassifierSpec.WIDTH, 2)
                        .with(CnnClassifierSpec.HEIGHT, 1)
                        .with(CnnClassifierSpec.FILTERS, "1")
                        .with(CnnClassifierSpec.KERNEL, 1)
                        .with(CnnClassifierSpec.POOL, 1)
                        .with(CnnClassifierSpec.DENSE, 1)
                        .with(CnnClassifierSpec.MAX_LABELS, 2)
                        .with(CnnClassifierSpec.LABELS, labels);
        ParameterLayout layout = ParameterLayout.of(spec);
        float[] params = new float[layout.size()];
        params[layout.block("0_W").offset()] = 1;
        params[layout.block("2_W").offset()] = 1;
        params[layout.block("2_W").offset() + 1] = -1;
        params[layout.block("3_W").offset()] = 10;
        params[layout.block("3_b").offset()] = -5;
        return VersionContract.build(
                new ModelWeights(spec, params),
                new Provenance(MODEL, version, version - 1, version * 8, Map.of(), List.of(), T0));
    }

    /** A bright diagonal stroke over a faint random background. */
    private static byte[] stroke(int width, int height) {
        byte[] pixels = new byte[width * height];
        Random random = new Random(7);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(40);
        }
        for (int d = 0; d < Math.min(width, height); d++) {
            pixels[d * width + d] = (byte) 250;
        }
        return pixels;
    }

    private static ImageEvent image(
            String id, int width, int height, int channels, byte[] pixels, String label) {
        return new ImageEvent(id, T0, width, height, channels, ByteBuffer.wrap(pixels), label);
    }

    private static Double[] box(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    private void publish(ModelVersion version) {
        versions.pipeInput(
                bytes(version.getModel()),
                Topics.MODEL_VERSIONS.valueSerde().serializer().serialize("v", version));
    }

    private void control(ControlMode mode, Long version) {
        ModelControl control = new ModelControl(MODEL, mode, version, "test", T0);
        controls.pipeInput(
                bytes(MODEL),
                Topics.MODEL_CONTROL.valueSerde().serializer().serialize("model-control", control));
    }

    private void send(ImageEvent e) {
        images.pipeInput(
                bytes(e.getId()),
                Topics.IMAGE_EVENTS.valueSerde().serializer().serialize("image-events", e));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(
                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
