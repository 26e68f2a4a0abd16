package dev.streamlearn.schemas;

import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.GateEvent;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.avro.ImageScore;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.SeriesScore;
import dev.streamlearn.schemas.avro.SourceOffset;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.avro.TokenContribution;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.schemas.avro.VectorScore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One realistic value for every topic, keyed by the topic it belongs to. Test fixture. */
public final class SampleRecords {
    public static final Instant AT = Instant.parse("2010-05-09T10:00:00Z");

    private SampleRecords() {}

    public static SeriesPoint seriesPoint() {
        return new SeriesPoint("mote-1", AT, 27.97);
    }

    public static TextEvent textEvent() {
        return new TextEvent("spam-2/00363", AT, "Eliminate Back Taxes Forever!", "spam");
    }

    public static ModelVersion modelVersion() {
        return ModelVersion.newBuilder()
                .setModel("text-classifier")
                .setKind("text-classifier")
                .setVersion(3)
                .setParentVersion(2L)
                .setSpec(Map.of("embeddingDim", "64"))
                .setWeights(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}))
                .setWeightsSha256(
                        "9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a")
                .setExamplesSeen(24)
                .setMetrics(Map.of("accuracy", 0.9, "baselineAccuracy", 0.7))
                .setSourceOffsets(List.of(new SourceOffset("text-events", 0, 24L)))
                .setCreatedAt(AT)
                .build();
    }

    public static ModelControl modelControl() {
        return new ModelControl("text-classifier", ControlMode.PIN, 2L, "roll back", AT);
    }

    public static ModelEvent modelEvent() {
        return ModelEvent.newBuilder()
                .setModel("text-classifier")
                .setVersion(4)
                .setDecision(GateDecision.PROMOTED)
                .setAgainst(3)
                .setEvents(200)
                .setCandidateLoss(0.11)
                .setAgainstLoss(0.12)
                .setDifferenceBound(0.004)
                .setMargin(0.006)
                .setConfidence(0.99)
                .setReason("not worse than version 3 by more than the margin")
                .setAt(AT)
                .build();
    }

    public static GateEvent gateEvent() {
        return new GateEvent(
                "text-classifier", "text-events", ByteBuffer.wrap(new byte[] {(byte) 0xc3, 1}));
    }

    public static SeriesScore seriesScore() {
        return new SeriesScore(
                "mote-1",
                AT,
                27.97,
                27.95,
                0.02,
                0.4,
                27.96,
                "lstm-forecaster",
                5L,
                AT,
                "model",
                27.95,
                0.021,
                0.025);
    }

    public static TextScore textScore() {
        return new TextScore(
                "spam-2/00363",
                AT,
                "spam",
                Map.of("spam", 0.93, "ham", 0.07),
                List.of(new TokenContribution("taxes", 1.25)),
                "spam",
                "text-classifier",
                3L,
                AT,
                null);
    }

    public static VectorEvent vectorEvent() {
        return new VectorEvent("xor-17", AT, List.of(0.93, -1.02), "different");
    }

    public static VectorScore vectorScore() {
        return new VectorScore(
                "xor-17",
                AT,
                "different",
                Map.of("different", 0.97, "same", 0.03),
                List.of(1.4, 1.9),
                "different",
                "mlp-classifier",
                3L,
                AT);
    }

    /** A 4x4 greyscale image: a bright vertical bar in the second column. */
    public static ImageEvent imageEvent() {
        byte[] pixels = new byte[16];
        for (int row = 0; row < 4; row++) {
            pixels[row * 4 + 1] = (byte) 255;
        }
        return new ImageEvent("mnist-17", AT, 4, 4, 1, ByteBuffer.wrap(pixels), "1");
    }

    public static ImageScore imageScore() {
        return new ImageScore(
                "mnist-17",
                AT,
                "1",
                Map.of("1", 0.94, "7", 0.06),
                List.of(0.1, 0.9, 0.2, 0.7),
                2,
                2,
                "1",
                "cnn-classifier",
                3L,
                AT);
    }

    public static TrainingMetrics trainingMetrics() {
        return new TrainingMetrics(
                "text-classifier", 3L, 24L, 0.41, Map.of("accuracy", 0.9), 180.0, AT, 16, 250L);
    }

    public static DeadLetter deadLetter() {
        return new DeadLetter(
                "text-events",
                0,
                17L,
                ByteBuffer.wrap("k".getBytes(StandardCharsets.UTF_8)),
                ByteBuffer.wrap(new byte[] {0x7b}),
                "scorer",
                "topic text-events: expected a single-object Avro TextEvent, but not single-object Avro",
                AT);
    }

    /** One sample value for the topic of this name. */
    public static Object forTopic(String topicName) {
        return switch (topicName) {
            case "series-points-json" -> "{\"seriesId\":\"mote-1\",\"value\":27.97}";
            case "text-events-json" -> "{\"id\":\"m-1\",\"text\":\"hello\",\"label\":\"ham\"}";
            case "vector-events-json" -> "{\"id\":\"v-1\",\"features\":[1,0],\"label\":\"a\"}";
            case "vector-events" -> vectorEvent();
            case "vector-scores" -> vectorScore();
            case "image-events-json" ->
                    "{\"id\":\"i-1\",\"width\":2,\"height\":1,\"pixels\":[0,255],\"label\":\"a\"}";
            case "image-events" -> imageEvent();
            case "image-scores" -> imageScore();
            case "series-points" -> seriesPoint();
            case "text-events" -> textEvent();
            case "model-versions" -> modelVersion();
            case "model-control" -> modelControl();
            case "model-events" -> modelEvent();
            case "gate-events" -> gateEvent();
            case "series-scores" -> seriesScore();
            case "text-scores" -> textScore();
            case "training-metrics" -> trainingMetrics();
            case "dead-letters" -> deadLetter();
            default -> throw new IllegalArgumentException("no sample for topic " + topicName);
        };
    }
}
