package dev.streamlearn.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class TransientKafkaErrorsTest {
    @Test
    void aCommitRefusedAfterABrokerRestartIsTransientWhereverItIsWrapped() {
        Exception commit =
                new KafkaException(
                        "Error encountered trying to commit a transaction",
                        new InvalidTxnStateException("invalid state"));

        assertThat(TransientKafkaErrors.isTransient(commit)).isTrue();
        assertThat(TransientKafkaErrors.isTransient(new TimeoutException("no broker"))).isTrue();
    }

    @Test
    void bugsAndMissingPermissionsAreNot() {
        assertThat(TransientKafkaErrors.isTransient(new NullPointerException())).isFalse();
        assertThat(
                        TransientKafkaErrors.isTransient(
                                new KafkaException(new TopicAuthorizationException("text-scores"))))
                .isFalse();
    }

    @Test
    void theBudgetRefusesReplacementsBeyondItsLimitUntilTheWindowMovesOn() {
        MutableClock clock = new MutableClock();
        TransientKafkaErrors.ReplacementBudget budget =
                new TransientKafkaErrors.ReplacementBudget(2, Duration.ofMinutes(10), clock);

        assertThat(budget.take()).isTrue();
        assertThat(budget.take()).isTrue();
        assertThat(budget.take()).as("a third within ten minutes").isFalse();
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        assertThat(budget.take()).as("after the window").isTrue();
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-12-05T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
