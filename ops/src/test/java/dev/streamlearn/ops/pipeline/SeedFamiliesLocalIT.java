package dev.streamlearn.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.ops.process.CommittedRecords;
import dev.streamlearn.ops.process.DatasetSlices;
import dev.streamlearn.ops.process.StreamlearnProcess;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ImageScore;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.avro.VectorScore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's other networks through {@code streamlearn local} as a user runs it (issue 19's "done
 * when"): one pipeline file declares an MLP on XOR points, a CNN on MNIST digits and a
 * self-attention text encoder on SpamAssassin; local replays a slice of each, the one Flink job
 * trains all three, and the scorer, behind the promotion gate, scores live events of each family
 * with a version numbered 2 or more that says which version it was.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SeedFamiliesLocalIT {
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final Path DATASETS = Path.of("..", "datasets");

    // Small networks, so each learns enough on this machine within the wait to beat its
    // family's baseline at the gate: the defaults are the survey's sizes, not this test's.
    private static final String PIPELINE =
            """
            models:
              - name: xor
                family: mlp-classifier
                publish: {interval: 2s}
              - name: digits
                family: cnn-classifier
                spec: {filters: "4", dense: 16}
                publish: {interval: 2s}
              - name: spam-attention
                family: attention-text-classifier
                spec: {dModel: 16, heads: 2, ffSize: 32, maxTokens: 64}
                publish: {interval: 2s}
            """;

    @TempDir Path dir;

    @Test
    void anMlpACnnAndAnAttentionEncoderLearnFromTheirSlicesAndServeVersionsTwoOrLater()
            throws Exception {
        Path pipeline = Files.writeString(dir.resolve("seed-families.yaml"), PIPELINE);
        // Header and the first 1,500 digits; the first 1,500 texts.
        Path digits =
                DatasetSlices.firstLines(
                        DATASETS.resolve("mnist-8k.csv.gz"), dir.resolve("mnist-slice.csv"), 1_501);
        Path spam =
                DatasetSlices.firstLines(
                        DATASETS.resolve("spamassassin.jsonl.gz"),
                        dir.resolve("spam-slice.jsonl"),
                        1_500);
        int port = freePort();
        String bootstrap = "127.0.0.1:" + port;
        String[] local = {
            "local",
            "--data-dir",
            dir.resolve("data").toString(),
            "--kafka-port",
            Integer.toString(port),
            "--pipeline",
            pipeline.toString(),
            "--dataset",
            "xor",
            "--dataset",
            "mnist:" + digits,
            "--dataset",
            "spam:" + spam,
            "--rate",
            "20",
            "--dashboard-port",
            "0",
            "--metrics-port",
            "0"
        };

        try (StreamlearnProcess process = StreamlearnProcess.start(local)) {
            process.awaitLine("streamlearn local is running.", START);

            VectorScore point =
                    CommittedRecords.await(
                            bootstrap,
                            Topics.VECTOR_SCORES,
                            s -> s.getModel().equals("xor") && s.getModelVersion() >= 2,
                            WAIT);
            ImageScore digit =
                    CommittedRecords.await(
                            bootstrap,
                            Topics.IMAGE_SCORES,
                            s -> s.getModel().equals("digits") && s.getModelVersion() >= 2,
                            WAIT);
            TextScore text =
                    CommittedRecords.await(
                            bootstrap,
                            Topics.TEXT_SCORES,
                            s -> s.getModel().equals("spam-attention") && s.getModelVersion() >= 2,
                            WAIT);

            // Each score carries its family's explanation.
            assertThat(point.getContributions()).as("one contribution per feature").hasSize(2);
            assertThat(digit.getSaliency())
                    .as("a saliency cell per 4x4 pixels of the digit")
                    .hasSize(digit.getSaliencyWidth() * digit.getSaliencyHeight())
                    .isNotEmpty();
            assertThat(text.getAttention())
                    .as("the attention the pooled text paid to its tokens")
                    .isNotEmpty();
            process.stop(Duration.ofSeconds(90));
            process.awaitLine("Local pipeline stopped cleanly.", Duration.ofSeconds(10));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
