package dev.streamlearn.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.ops.metrics.MetricsEndpoint;
import dev.streamlearn.schemas.SampleRecords;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What the dashboard's /metrics says about the scores it read, per kind of score. */
class DashboardMetersTest {
    @Test
    void countsTheScoresSeenOfEveryKindUnderItsOwnLabel() {
        // Given scores of every family read from their topics: 1 text, 2 series, 3 vector, 4 image
        DashboardState state =
                new DashboardState(
                        Clock.fixed(SampleRecords.AT, ZoneOffset.UTC),
                        10,
                        VersionTrust.unsignedOnly());
        long at = SampleRecords.AT.toEpochMilli();
        state.accept(SampleRecords.textScore(), at);
        for (int i = 0; i < 2; i++) {
            state.accept(SampleRecords.seriesScore(), at);
        }
        for (int i = 0; i < 3; i++) {
            state.accept(SampleRecords.vectorScore(), at);
        }
        for (int i = 0; i < 4; i++) {
            state.accept(SampleRecords.imageScore(), at);
        }
        PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
        // A feed never started: only its per-topic counters are bound, nothing connects.
        try (TopicFeed feed =
                new TopicFeed(
                        KafkaConnection.plaintext("127.0.0.1:1"), state::accept, problem -> {})) {
            new DashboardMeters(registry, state, feed);

            // When Prometheus scrapes
            String scrape = registry.scrape();

            // Then each kind is counted under its label
            assertThat(scrape)
                    .contains("streamlearn_scores_seen_total{kind=\"text\"} 1.0")
                    .contains("streamlearn_scores_seen_total{kind=\"series\"} 2.0")
                    .contains("streamlearn_scores_seen_total{kind=\"vector\"} 3.0")
                    .contains("streamlearn_scores_seen_total{kind=\"image\"} 4.0");
        }
    }
}
