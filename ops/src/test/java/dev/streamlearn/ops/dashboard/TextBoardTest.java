package dev.streamlearn.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextBoardTest {
    @Test
    void percentilesAreNearestRank() {
        List<Long> values = List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L);
        assertThat(TextBoard.percentile(values, 0.50)).isEqualTo(50);
        assertThat(TextBoard.percentile(values, 0.95)).isEqualTo(100);
        assertThat(TextBoard.percentile(List.of(7L), 0.99)).isEqualTo(7);
    }
}
