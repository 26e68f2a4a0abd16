package dev.streamlearn.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.training.TrainingInput;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Training inputs cross operator boundaries with their own serializer, never Kryo. */
class TrainingInputSerializerTest {
    private static final RecordOrigin ORIGIN =
            new RecordOrigin("text-events", 3, 41, 1_000, "k".getBytes(), new byte[] {1, 2, 3});

    @Test
    void theJobsTypeInformationIsItsOwnSerializerNotAGenericOne() {
        TypeSerializer<TrainingInput> serializer =
                JobStreams.TRAINING_INPUT.createSerializer(new SerializerConfigImpl());
        assertThat(serializer).isSameAs(TrainingInputSerializer.INSTANCE);
    }

    @Test
    void everyVariantRoundTripsWithItsFields() throws Exception {
        // Given one input of each variant, with a text longer than writeUTF's 64 KiB
        TrainingInput.SeriesPoint point =
                TrainingInput.seriesPoint("lstm-forecaster", ORIGIN, "births", 86_400_000L, 7.5);
        List<TrainingInput> inputs =
                List.of(
                        point,
                        point.withWindow(
                                new NormalisedWindow(
                                        new float[] {0.5f, -1f}, 7, 2, new float[] {0.25f, 3f}),
                                6.5,
                                8.25),
                        TrainingInput.labelledText(
                                "text-classifier", ORIGIN, "e1", 5, "x".repeat(70_000), "spam"),
                        TrainingInput.labelledVector(
                                "mlp-classifier",
                                ORIGIN,
                                "xor-1",
                                9,
                                new double[] {0.25, -1e300},
                                "different"),
                        TrainingInput.labelledImage(
                                "cnn-classifier",
                                ORIGIN,
                                "digit-7",
                                11,
                                2,
                                1,
                                3,
                                new byte[] {0, (byte) 255, 7, 8, 9, (byte) 128},
                                "7"),
                        TrainingInput.consumed("text-classifier", ORIGIN));
        for (TrainingInput in : inputs) {
            // When it is written and read back
            DataOutputSerializer out = new DataOutputSerializer(128);
            TrainingInputSerializer.INSTANCE.serialize(in, out);
            TrainingInput back =
                    TrainingInputSerializer.INSTANCE.deserialize(
                            new DataInputDeserializer(out.getCopyOfBuffer()));
            // Then it is the same variant with the same fields
            assertThat(back).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(in);
        }
    }
}
