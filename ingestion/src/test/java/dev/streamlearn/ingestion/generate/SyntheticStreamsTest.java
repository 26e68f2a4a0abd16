package dev.streamlearn.ingestion.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.avro.TextEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyntheticStreamsTest {

    @Test
    void theSeriesShiftsItsLevelAtTheKnownStepAndLabelsItsAnomalies() {
        List<SyntheticSeries.Point> points = all(new SyntheticSeries("s", 1, 2_000, 1_000));

        double before = mean(points.subList(712, 1000)); // the last full day before the shift
        double after = mean(points.subList(1000, 1288)); // the first full day after it
        assertThat(after - before).isBetween(3.0, 5.0);
        assertThat(points.get(1000).anomaly()).isTrue();
        assertThat(points.stream().filter(SyntheticSeries.Point::anomaly).count())
                .isBetween(6L, 40L);
    }

    @Test
    void theSameSeedGivesTheSameSeries() {
        assertThat(all(new SyntheticSeries("s", 7, 100, -1)))
                .isEqualTo(all(new SyntheticSeries("s", 7, 100, -1)));
    }

    @Test
    void theSpamVocabularyDriftsAtTheKnownEvent() {
        List<TextEvent> events = all(new SyntheticText(3, 2_000, 1_000));

        Set<String> spamBefore = words(events.subList(0, 1000));
        Set<String> spamAfter = words(events.subList(1000, 2000));
        assertThat(spamBefore).contains("money").doesNotContain("pills");
        assertThat(spamAfter).contains("pills").doesNotContain("money");
        assertThat(events).extracting(TextEvent::getLabel).containsOnly("spam", "ham");
    }

    private static Set<String> words(List<TextEvent> events) {
        return events.stream()
                .filter(e -> e.getLabel().equals("spam"))
                .flatMap(e -> List.of(e.getText().split(" ")).stream())
                .collect(Collectors.toSet());
    }

    private static double mean(List<SyntheticSeries.Point> points) {
        return points.stream().mapToDouble(p -> p.point().getValue()).average().orElseThrow();
    }

    private static <T> List<T> all(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
