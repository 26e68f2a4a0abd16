package dev.streamlearn.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassifierRecordTest {

    @Test
    void recentAccuracyCountsOnlyTheLastWindowOfExamples() {
        // Given a record of the last 3 examples
        ClassifierRecord record = new ClassifierRecord(3);
        assertThat(record.recentAccuracy()).isNaN();

        // When it sees a miss, then three hits
        record.add("b", "a", 0.2);
        record.add("a", "a", 0.9);
        assertThat(record.recentAccuracy()).isEqualTo(0.5);
        record.add("a", "a", 0.8);
        record.add("a", "a", 0.7);

        // Then the miss has left the window, while the all-time metrics keep it
        assertThat(record.recentAccuracy()).isEqualTo(1.0);
        assertThat(record.metrics().count()).isEqualTo(4);
        assertThat(record.toMap())
                .containsEntry("recentAccuracy", 1.0)
                .containsEntry("recentEvents", 3)
                .containsKey("accuracy");
    }
}
