package dev.streamlearn.scorer.family.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.lstm.SeriesTracker;
import dev.streamlearn.models.forecast.PersistenceFallback;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SeriesStatesTest {
    private final SeriesTracker.State state =
            new SeriesTracker.State(new double[] {1.5, 2.5, 3.5}, 3, 0.25, 2);
    private final PersistenceFallback.State fallback = new PersistenceFallback.State(0.5, 0.25, 3);

    @Test
    void aStateKeepsTheNextForecastWithTheVersionThatMadeIt() {
        SeriesStates.Saved saved =
                SeriesStates.decode(SeriesStates.encode(state, 4.125, 7, fallback));

        assertThat(saved.tracker().lastValues()).containsExactly(1.5, 2.5, 3.5);
        assertThat(saved.tracker().seen()).isEqualTo(3);
        assertThat(saved.tracker().anomalyScale()).isEqualTo(0.25);
        assertThat(saved.tracker().anomalyCount()).isEqualTo(2);
        assertThat(saved.nextForecastBy(7)).isEqualTo(4.125);
        assertThat(saved.nextForecastBy(8)).as("made by another version").isNaN();
        assertThat(saved.fallback()).isEqualTo(fallback);
    }

    @Test
    void withoutANextForecastNoVersionIsKept() {
        SeriesStates.Saved saved =
                SeriesStates.decode(SeriesStates.encode(state, Double.NaN, 7, fallback));

        assertThat(saved.nextForecastVersion()).isEqualTo(SeriesStates.NO_VERSION);
        assertThat(saved.nextForecastBy(7)).isNaN();
    }

    @Test
    void aStateWrittenBeforeForecastsWereKeptIsStillRead() {
        ByteBuffer formatOne = ByteBuffer.allocate(1 + 4 + 8 * 3 + 8 + 8 + 8);
        formatOne.put((byte) 1).putInt(3).putDouble(1.5).putDouble(2.5).putDouble(3.5);
        formatOne.putLong(3).putDouble(0.25).putLong(2);

        SeriesStates.Saved saved = SeriesStates.decode(formatOne.array());

        assertThat(saved.tracker().lastValues()).containsExactly(1.5, 2.5, 3.5);
        assertThat(saved.tracker().anomalyCount()).isEqualTo(2);
        assertThat(saved.nextForecastBy(1)).isNaN();
        assertThat(saved.fallback()).isEqualTo(PersistenceFallback.State.FRESH);
    }

    @Test
    void aStateWrittenBeforeTheFallbackIsStillReadAndItsSeriesStartsTheFallbackAfresh() {
        ByteBuffer formatTwo = ByteBuffer.allocate(1 + 4 + 8 * 3 + 8 + 8 + 8 + 8 + 8);
        formatTwo.put((byte) 2).putInt(3).putDouble(1.5).putDouble(2.5).putDouble(3.5);
        formatTwo.putLong(3).putDouble(0.25).putLong(2).putDouble(4.125).putLong(7);

        SeriesStates.Saved saved = SeriesStates.decode(formatTwo.array());

        assertThat(saved.tracker().lastValues()).containsExactly(1.5, 2.5, 3.5);
        assertThat(saved.nextForecastBy(7)).isEqualTo(4.125);
        assertThat(saved.fallback()).isEqualTo(PersistenceFallback.State.FRESH);
    }
}
