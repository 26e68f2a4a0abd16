package dev.streamlearn.trainer.family.cnn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.evaluation.MnistCsv;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.stream.TrainingInputSerializer;
import dev.streamlearn.trainer.training.TrainingInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class FastCnnLearnerTest {
    private static final List<ImageEvent> DIGITS = MnistCsv.read(100);

    @Test
    void aRestoredSnapshotContinuesBitwiseIdentically() {
        // Given a learner stopped mid-batch and a copy restored from its snapshot
        FastCnnLearner learner = new FastCnnLearner(CnnClassifierSpec.defaults());
        for (ImageEvent digit : DIGITS.subList(0, 43)) {
            offer(learner, digit);
        }
        LearnerSnapshot snapshot = learner.snapshot();
        FastCnnLearner restored = FastCnnLearner.restore(snapshot);
        assertThat(restored.pendingExamples()).isEqualTo(3);

        // When both learn the rest
        for (ImageEvent digit : DIGITS.subList(43, 100)) {
            offer(learner, digit);
            offer(restored, digit);
        }

        // Then they hold the same weights and spec, and score alike
        assertThat(restored.weights()).isEqualTo(learner.weights());
        assertThat(restored.examplesSeen()).isEqualTo(100);
        byte[] pixels = DecodeImage.pixels(DIGITS.get(0).getPixels());
        assertThat(restored.model().predict(28, 28, 1, pixels).probabilities())
                .isEqualTo(learner.model().predict(28, 28, 1, pixels).probabilities());
    }

    @Test
    void theScoringModelFollowsEveryFit() {
        // Given a learner's scoring model before a fit
        FastCnnLearner learner = new FastCnnLearner(CnnClassifierSpec.defaults());
        for (ImageEvent digit : DIGITS.subList(0, 7)) {
            offer(learner, digit);
        }
        byte[] pixels = DecodeImage.pixels(DIGITS.get(0).getPixels());
        double before = learner.model().predict(28, 28, 1, pixels).probabilities().get("5");

        // When the next image completes a mini-batch
        offer(learner, DIGITS.get(7));

        // Then the same model scores with the new weights, as a fresh one does
        double after = learner.model().predict(28, 28, 1, pixels).probabilities().get("5");
        FastCnnLearner copy = FastCnnLearner.restore(learner.snapshot());
        assertThat(after).isNotEqualTo(before);
        assertThat(after)
                .isEqualTo(copy.model().predict(28, 28, 1, pixels).probabilities().get("5"));
    }

    @Test
    void imagesItCannotLearnAreRefusedWithTheReason() {
        FastCnnLearner learner =
                new FastCnnLearner(
                        CnnClassifierSpec.defaults().with(CnnClassifierSpec.MAX_LABELS, 2));
        learner.offer(28, 28, 1, new byte[784], "a");
        learner.offer(28, 28, 1, new byte[784], "b");

        assertThat(learner.offer(32, 32, 1, new byte[1024], "a").rejection().reason())
                .isEqualTo(
                        "image of 32x32x1 (width x height x channels), expected 28x28x1 (the"
                                + " model's size)");
        assertThat(learner.offer(28, 28, 1, new byte[783], "a").rejection().reason())
                .isEqualTo("783 pixel bytes for a 28x28x1 image, expected 784");
        assertThat(learner.offer(28, 28, 1, new byte[784], "c").rejection().reason())
                .contains("all 2 slots (maxLabels) are taken by [a, b]");
        assertThat(learner.offer(28, 28, 1, new byte[784], null).status())
                .isEqualTo(Offer.Status.REJECTED);
        assertThat(learner.examplesSeen()).isEqualTo(2);
    }

    @Test
    void pendingExamplesRoundTripThroughTheCheckpointFormat() throws Exception {
        CnnExample example = new CnnExample(new byte[] {0, (byte) 255, 17}, 3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CnnClassifierTraining.INSTANCE.writePending(example, new DataOutputStream(bytes));

        CnnExample back =
                (CnnExample)
                        CnnClassifierTraining.INSTANCE.readPending(
                                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(back.pixels()).containsExactly(example.pixels());
        assertThat(back.slot()).isEqualTo(3);
    }

    @Test
    void theTrainerTestsBeforeItLearnsAndCountsTheMajorityBaseline() {
        ModelSpec spec = CnnClassifierSpec.defaults();
        CnnTrainer trainer = new CnnTrainer(spec);
        for (ImageEvent digit : DIGITS.subList(0, 16)) {
            trainer.offer(
                    TrainingInput.labelledImage(
                            "cnn-classifier",
                            null,
                            digit.getId(),
                            0,
                            28,
                            28,
                            1,
                            DecodeImage.pixels(digit.getPixels()),
                            digit.getLabel()));
        }

        assertThat(trainer.metrics())
                .containsEntry("examples", 16.0)
                .containsKeys("accuracy", "baseline.accuracy");
        assertThat(trainer.examplesSeen()).isEqualTo(16);
    }

    @Test
    void decodingDeadLettersAnImageOfAnotherSizeNamingTheSizeExpected() throws Exception {
        // Given the decoder of a default (28x28 grey) model
        DecodeImage decode = new DecodeImage("digits", CnnClassifierSpec.defaults().toMap());
        try (OneInputStreamOperatorTestHarness<RecordOrigin, TrainingInput> harness =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(decode))) {
            // The job's own serializer: a generic one cannot copy the sealed variants
            harness.setup(TrainingInputSerializer.INSTANCE);
            harness.open();
            // When a labelled 28x28 digit, a labelled 32x32 image and an unlabelled digit arrive
            harness.processElement(origin(image("ok", 28, 28, "3"), 0), 0);
            harness.processElement(origin(image("big", 32, 32, "3"), 1), 0);
            harness.processElement(origin(image("unlabelled", 28, 28, null), 2), 0);

            // Then the digit is an example, the others only positions, and the large image a
            // dead letter whose reason names the size expected
            List<TrainingInput> out = harness.extractOutputValues();
            assertThat(out).hasSize(3);
            assertThat(out.get(0)).isInstanceOf(TrainingInput.ImageExample.class);
            assertThat(((TrainingInput.ImageExample) out.get(0)).pixels()).hasSize(784);
            assertThat(out.get(1)).isInstanceOf(TrainingInput.Consumed.class);
            assertThat(out.get(2)).isInstanceOf(TrainingInput.Consumed.class);
            assertThat(harness.getSideOutput(JobStreams.DEAD_LETTERS))
                    .extracting(r -> ((StreamRecord<DeadLetter>) r).getValue().getError())
                    .containsExactly(
                            "image big: image of 32x32x1 (width x height x channels), expected"
                                    + " 28x28x1 (the model's size)");
        }
    }

    private static ImageEvent image(String id, int width, int height, String label) {
        return ImageEvent.newBuilder()
                .setId(id)
                .setEventTime(Instant.EPOCH)
                .setWidth(width)
                .setHeight(height)
                .setChannels(1)
                .setPixels(ByteBuffer.wrap(new byte[width * height]))
                .setLabel(label)
                .build();
    }

    private static RecordOrigin origin(ImageEvent e, long offset) {
        byte[] value =
                Topics.IMAGE_EVENTS
                        .valueSerde()
                        .serializer()
                        .serialize(Topics.IMAGE_EVENTS.name(), e);
        return new RecordOrigin(
                Topics.IMAGE_EVENTS.name(), 0, offset, 0, e.getId().getBytes(), value);
    }

    private static void offer(FastCnnLearner learner, ImageEvent e) {
        learner.offer(
                e.getWidth(),
                e.getHeight(),
                e.getChannels(),
                DecodeImage.pixels(e.getPixels()),
                e.getLabel());
    }
}
