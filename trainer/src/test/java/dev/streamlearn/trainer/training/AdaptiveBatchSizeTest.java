package dev.streamlearn.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdaptiveBatchSizeTest {
    private static final Duration TARGET = Duration.ofMillis(1_000);

    @Test
    void doublesAfterEachFitWhileBehindUpToTheCap() {
        AdaptiveBatchSize sizing = new AdaptiveBatchSize(8, 64, TARGET);
        assertThat(sizing.size()).isEqualTo(8);
        assertThat(sizing.afterFit(5_000)).isEqualTo(16);
        assertThat(sizing.afterFit(5_000)).isEqualTo(32);
        assertThat(sizing.afterFit(5_000)).isEqualTo(64);
        assertThat(sizing.afterFit(5_000)).isEqualTo(64);
    }

    @Test
    void goesBackToTheSpecsSizeWithTheFirstExampleThatArrivesCaughtUp() {
        AdaptiveBatchSize sizing = new AdaptiveBatchSize(8, 64, TARGET);
        sizing.afterFit(5_000);
        sizing.afterFit(5_000);
        assertThat(sizing.beforeExample(900)).as("still behind: kept").isEqualTo(32);
        assertThat(sizing.beforeExample(249)).as("caught up").isEqualTo(8);
    }

    @Test
    void keepsItsSizeWhileTheLagIsBetweenAQuarterOfTheTargetAndTheTarget() {
        AdaptiveBatchSize sizing = new AdaptiveBatchSize(8, 64, TARGET);
        sizing.afterFit(1_001);
        assertThat(sizing.afterFit(1_000)).isEqualTo(16);
        assertThat(sizing.beforeExample(250)).isEqualTo(16);
        assertThat(sizing.afterFit(250)).isEqualTo(16);
    }

    @Test
    void aCapThatIsNotAPowerOfTwoTimesTheSpecsSizeIsReachedExactly() {
        AdaptiveBatchSize sizing = new AdaptiveBatchSize(8, 100, TARGET);
        for (int i = 0; i < 10; i++) {
            sizing.afterFit(5_000);
        }
        assertThat(sizing.size()).isEqualTo(100);
    }

    @Test
    void aCapAtOrBelowTheSpecsSizeKeepsTheSizeFixed() {
        AdaptiveBatchSize sizing = new AdaptiveBatchSize(8, 4, TARGET);
        assertThat(sizing.afterFit(60_000)).isEqualTo(8);
        assertThat(sizing.beforeExample(0)).isEqualTo(8);
    }

    @Test
    void refusesASpecSizeBelowOne() {
        assertThatThrownBy(() -> new AdaptiveBatchSize(0, 8, TARGET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mini-batch size = 0");
    }
}
