package dev.streamlearn.scorer.family.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.lstm.ForecastExperts;
import dev.streamlearn.models.family.lstm.SeriesTracker;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SeriesStatesTest {
    private final SeriesTracker.State state =
            new SeriesTracker.State(
                    new double[] {1.5, 2.5, 3.5},
                    3,
                    0.25,
                    2,
                    new ForecastExperts.State(new double[] {0.5, 0.375, 0.25}, 3));

    @Test
    void aStateKeepsTheNextForecastWithTheVersionThatMadeItAndTheExpertsErrors() {
        SeriesStates.Saved saved = SeriesStates.decode(SeriesStates.encode(state, 4.125, 7));

        assertThat(saved.tracker().lastValues()).containsExactly(1.5, 2.5, 3.5);
        assertThat(saved.tracker().seen()).isEqualTo(3);
        assertThat(saved.tracker().anomalyScale()).isEqualTo(0.25);
        assertThat(saved.tracker().anomalyCount()).isEqualTo(2);
        assertThat(saved.tracker().experts().mae()).containsExactly(0.5, 0.375, 0.25);
        assertThat(saved.tracker().experts().count()).isEqualTo(3);
        assertThat(saved.nextForecastBy(7)).isEqualTo(4.125);
        assertThat(saved.nextForecastBy(8)).as("made by another version").isNaN();
    }

    @Test
    void withoutANextForecastNoVersionIsKept() {
        SeriesStates.Saved saved = SeriesStates.decode(SeriesStates.encode(state, Double.NaN, 7));

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
        assertThat(saved.tracker().experts().count()).isZero();
    }

    @Test
    void statesWrittenBeforeTheExpertsAreStillReadAndTheirExpertsStartAfresh() {
        ByteBuffer formatTwo = ByteBuffer.allocate(1 + 4 + 8 * 3 + 8 + 8 + 8 + 8 + 8);
        formatTwo.put((byte) 2).putInt(3).putDouble(1.5).putDouble(2.5).putDouble(3.5);
        formatTwo.putLong(3).putDouble(0.25).putLong(2).putDouble(4.125).putLong(7);
        ByteBuffer formatThree = ByteBuffer.allocate(formatTwo.capacity() + 8 + 8 + 8);
        formatThree.put(formatTwo.array()).put(0, (byte) 3);
        formatThree.putDouble(0.5).putDouble(0.25).putLong(3);

        for (ByteBuffer bytes : new ByteBuffer[] {formatTwo, formatThree}) {
            SeriesStates.Saved saved = SeriesStates.decode(bytes.array());

            assertThat(saved.tracker().lastValues()).containsExactly(1.5, 2.5, 3.5);
            assertThat(saved.tracker().anomalyCount()).isEqualTo(2);
            assertThat(saved.nextForecastBy(7)).isEqualTo(4.125);
            assertThat(saved.tracker().experts().count()).isZero();
        }
    }
}
