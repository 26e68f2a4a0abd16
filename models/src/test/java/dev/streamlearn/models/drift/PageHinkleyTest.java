package dev.streamlearn.models.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PageHinkleyTest {

    @Test
    void detectsAStepOnceTheRiseSumsPastTheThreshold() {
        // Given River's defaults (λ 50, δ 0.005) and 1,000 zeros followed by ones
        PageHinkley ph = new PageHinkley(PageHinkley.Options.river());
        int first = -1;
        for (int i = 0; i < 2_000 && first < 0; i++) {
            if (ph.add(i < 1_000 ? 0 : 1)) {
                first = i;
            }
        }

        // Then the rise is detected once about λ of it has summed up: each one adds 1 − x̄ − δ,
        // close to 0.95 while the mean is still near 0
        assertThat(first).isBetween(1_050, 1_060);
        assertThat(ph.statistic()).isGreaterThan(50);
        // And the change is placed where the cumulative sum last touched its minimum
        assertThat(ph.sinceChange()).isBetween(50L, 60L);
    }

    @Test
    void aStationaryStreamWithinTheToleranceRaisesNoAlarm() {
        // Given values that wander by ±0.1 around 0.5 (below the threshold's reach)
        Random random = new Random(7);
        PageHinkley ph = new PageHinkley(PageHinkley.Options.river());

        for (int i = 0; i < 100_000; i++) {
            assertThat(ph.add(0.5 + 0.2 * (random.nextDouble() - 0.5))).as("value %d", i).isFalse();
        }
    }

    @Test
    void aFallIsNoDrift() {
        PageHinkley ph = new PageHinkley(PageHinkley.Options.river());

        for (int i = 0; i < 2_000; i++) {
            assertThat(ph.add(i < 1_000 ? 1 : 0)).isFalse();
        }
        assertThat(ph.statistic()).isNaN();
    }

    @Test
    void aRestoredStateContinuesExactly() {
        PageHinkley whole = new PageHinkley(PageHinkley.Options.river());
        PageHinkley first = new PageHinkley(PageHinkley.Options.river());
        for (int i = 0; i < 500; i++) {
            whole.add(0);
            first.add(0);
        }
        PageHinkley second = new PageHinkley(PageHinkley.Options.river());
        second.restore(first.state());
        for (int i = 0; i < 200; i++) {
            assertThat(second.add(1)).isEqualTo(whole.add(1));
        }
        assertThat(second.state()).containsExactly(whole.state());
        assertThatThrownBy(() -> second.restore(new double[3]))
                .hasMessageContaining("not a Page-Hinkley state");
    }
}
