package dev.streamlearn.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void theRegistryHoldsEveryTopicOfTheDesignOnce() {
        assertThat(Topics.all().stream().map(Topic::name).collect(Collectors.toList()))
                .containsExactly(
                        "series-points-json",
                        "text-events-json",
                        "vector-events-json",
                        "image-events-json",
                        "series-points",
                        "text-events",
                        "vector-events",
                        "image-events",
                        "model-versions",
                        "model-control",
                        "model-events",
                        "gate-events",
                        "series-scores",
                        "text-scores",
                        "vector-scores",
                        "image-scores",
                        "training-metrics",
                        "dead-letters");
    }

    @Test
    void modelVersionsAcceptSixteenMebibytesAndKeepHistoryByTimeAndSize() {
        assertThat(Topics.MODEL_VERSIONS.configs())
                .containsEntry("max.message.bytes", "16777216")
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.bytes", Long.toString(2L << 30))
                .containsKey("retention.ms");
    }

    @Test
    void onlyTheJsonEntryTopicsCarrySomethingElseThanAvro() {
        assertThat(Topics.all())
                .filteredOn(t -> !Topics.avro().contains(t))
                .extracting(Topic::name)
                .containsExactly(
                        "series-points-json",
                        "text-events-json",
                        "vector-events-json",
                        "image-events-json");
    }

    @Test
    void inputTopicsKeepRecordsByArrivalNotByEventTime() {
        for (Topic<?, ?> input :
                java.util.List.of(
                        Topics.SERIES_POINTS,
                        Topics.TEXT_EVENTS,
                        Topics.VECTOR_EVENTS,
                        Topics.IMAGE_EVENTS,
                        Topics.SERIES_POINTS_JSON,
                        Topics.TEXT_EVENTS_JSON,
                        Topics.VECTOR_EVENTS_JSON,
                        Topics.IMAGE_EVENTS_JSON)) {
            assertThat(input.configs())
                    .as(input.name())
                    .containsEntry("message.timestamp.type", "LogAppendTime");
        }
    }

    @Test
    void modelControlIsCompacted() {
        assertThat(Topics.MODEL_CONTROL.configs()).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void topicsAreFoundByName() {
        assertThat(Topics.byName("text-scores")).contains(Topics.TEXT_SCORES);
        assertThat(Topics.byName("no-such-topic")).isEmpty();
    }
}
