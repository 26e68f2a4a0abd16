package dev.streamlearn.ops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.ingestion.file.FileRow;
import dev.streamlearn.ingestion.load.LoadSummary;
import dev.streamlearn.ingestion.load.Pacer;
import dev.streamlearn.ingestion.load.Progress;
import dev.streamlearn.ingestion.load.RowSink;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ImageEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MnistDatasetTest {
    /** The project's datasets folder, seen from the ops module where tests run. */
    private static final Path SHIPPED = Path.of("..", "datasets");

    @Test
    void theMnistDataSetReplaysTheShippedDigitsToImageEventsInFileOrder() throws Exception {
        Dataset<?> dataset = Dataset.parse("mnist", SHIPPED);

        assertThat(dataset.name()).isEqualTo("mnist");
        assertThat(dataset.topic()).isSameAs(Topics.IMAGE_EVENTS);
        assertThat(dataset.file()).isEqualTo(SHIPPED.resolve("mnist-8k.csv.gz"));

        List<ImageEvent> digits = firstEvents(Dataset.mnist(dataset.file()), 3);

        // The file's first rows (datasets/README.md: shuffled, seed 20261204).
        assertThat(digits)
                .extracting(ImageEvent::getId)
                .containsExactly("0-0595", "5-0087", "6-0111");
        assertThat(digits).extracting(ImageEvent::getLabel).containsExactly("0", "5", "6");
        ImageEvent zero = digits.get(0);
        assertThat(List.of(zero.getWidth(), zero.getHeight(), zero.getChannels()))
                .containsExactly(28, 28, 1);
        assertThat(zero.getPixels().remaining()).isEqualTo(784);
        // MNIST's border is blank; a digit has ink.
        assertThat(zero.getPixels().get(0)).isZero();
        int ink = 0;
        for (int i = 0; i < 784; i++) {
            ink += zero.getPixels().get(i) != 0 ? 1 : 0;
        }
        assertThat(ink).isGreaterThan(50);
    }

    @Test
    void mnistIsLookedUpAmongTheShippedDataSetsAndMnistOfAFileIsNot() {
        assertThat(Dataset.readsShippedFile("mnist")).isTrue();
        assertThat(Dataset.readsShippedFile("mnist:digits.csv")).isFalse();
        assertThat(Dataset.readsShippedFile("xor")).isFalse();
    }

    @Test
    void mnistOfAFileThatIsNotThereIsRefusedNamingIt() {
        assertThatThrownBy(() -> Dataset.parse("mnist:nowhere.csv", SHIPPED))
                .hasMessage("--dataset mnist:nowhere.csv: nowhere.csv does not exist");
    }

    private static List<ImageEvent> firstEvents(Dataset<ImageEvent> dataset, int rows)
            throws Exception {
        List<ImageEvent> events = new ArrayList<>();
        List<String> rejections = new ArrayList<>();
        dataset.ingestion()
                .load(
                        dataset.file(),
                        0,
                        rows,
                        new RowSink<ImageEvent>() {
                            @Override
                            public void send(String key, ImageEvent event) {
                                events.add(event);
                            }

                            @Override
                            public void reject(FileRow row, String reason) {
                                rejections.add(reason);
                            }

                            @Override
                            public void rowsDone(long done) {}

                            @Override
                            public LoadSummary finish() {
                                return new LoadSummary(events.size(), 0, Duration.ZERO);
                            }

                            @Override
                            public long sent() {
                                return events.size();
                            }

                            @Override
                            public long rejected() {
                                return rejections.size();
                            }
                        },
                        Pacer.asFastAsPossible(),
                        Progress.silent());
        assertThat(rejections).isEmpty();
        return events;
    }
}
