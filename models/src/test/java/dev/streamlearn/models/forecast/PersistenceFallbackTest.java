package dev.streamlearn.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PersistenceFallbackTest {

    @Test
    void aFreshSeriesIsScoredByTheModelWhateverItsFirstErrors() {
        PersistenceFallback fallback = new PersistenceFallback();

        for (int i = 0; i < PersistenceFallback.MIN_POINTS - 1; i++) {
            fallback.update(10, 1);
            assertThat(fallback.usesPersistence()).as("after %d errors", i + 1).isFalse();
        }
        fallback.update(10, 1);

        assertThat(fallback.usesPersistence()).isTrue();
    }

    @Test
    void aModelWithinTheMarginOfPersistenceKeepsScoring() {
        PersistenceFallback fallback = new PersistenceFallback();

        for (int i = 0; i < 100; i++) {
            fallback.update(1 + PersistenceFallback.MARGIN / 2, 1);
        }

        assertThat(fallback.usesPersistence()).isFalse();
    }

    @Test
    void theModelComesBackOnceItsRecentErrorsAreNoLongerWorse() {
        PersistenceFallback fallback = new PersistenceFallback();
        for (int i = 0; i < 100; i++) {
            fallback.update(2, 1);
        }
        assertThat(fallback.usesPersistence()).isTrue();

        int back = 0;
        while (fallback.usesPersistence()) {
            fallback.update(0.5, 1);
            back++;
        }

        // The recent means fade with a half-life of 20 points: 2 -> 1.1 against 1 takes
        // ln(1.5 / 0.6) / ln(2) half-lives, about 26 points.
        assertThat(back).isBetween(20, 30);
    }

    @Test
    void theRecentMeansStartAsRunningMeansThenFade() {
        PersistenceFallback fallback = new PersistenceFallback();
        fallback.update(1, 4);
        fallback.update(3, 2);

        assertThat(fallback.modelMae()).isEqualTo(2);
        assertThat(fallback.persistenceMae()).isEqualTo(3);

        for (int i = 0; i < 20 * PersistenceFallback.HALF_LIFE; i++) {
            fallback.update(7, 0);
        }
        assertThat(fallback.modelMae()).isCloseTo(7, within(1e-3));
    }

    @Test
    void aRestoredFallbackContinuesExactly() {
        PersistenceFallback original = new PersistenceFallback();
        for (int i = 0; i < 30; i++) {
            original.update(i % 3, 1);
        }

        PersistenceFallback restored = PersistenceFallback.restore(original.state());
        original.update(5, 0.5);
        restored.update(5, 0.5);

        assertThat(restored.state()).isEqualTo(original.state());
    }

    @Test
    void errorsThatAreNotFiniteNonNegativeNumbersAreRefusedNamingThem() {
        PersistenceFallback fallback = new PersistenceFallback();

        assertThatThrownBy(() -> fallback.update(Double.NaN, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN (model)");
        assertThatThrownBy(
                        () -> PersistenceFallback.restore(new PersistenceFallback.State(-1, 0, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected finite mean absolute errors >= 0");
    }
}
