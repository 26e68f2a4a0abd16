package dev.streamlearn.models.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdwinTest {
    private static final Adwin.Options TRAINER = Adwin.Options.river().withDelta(1e-5);

    /** Bernoulli errors at {@code before}, then at {@code after} from value {@code changeAt}. */
    private static double[] errors(long seed, int n, int changeAt, double before, double after) {
        Random random = new Random(seed);
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = random.nextDouble() < (i < changeAt ? before : after) ? 1 : 0;
        }
        return xs;
    }

    private static List<Integer> rises(Adwin adwin, double[] xs) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            if (adwin.add(xs[i])) {
                at.add(i);
            }
        }
        return at;
    }

    @Test
    void detectsAnErrorRateThatJumpsWithinAHundredValues() {
        // Given a 5% error rate for 3,000 values, then 50% (as a remapped label does)
        double[] xs = errors(1, 4_000, 3_000, 0.05, 0.5);

        // When ADWIN at the trainer's significance watches them
        Adwin adwin = new Adwin(TRAINER);
        List<Integer> rises = rises(adwin, xs);

        // Then the first rise comes within 100 values of the change and none before it
        assertThat(rises).isNotEmpty();
        assertThat(rises.get(0)).isBetween(3_000, 3_100);
        // And the window it keeps is what came after the change and, since it is cut only at
        // bucket boundaries, at most a few of its oldest buckets from before
        assertThat(adwin.statistic()).isGreaterThan(0.3);
        assertThat(adwin.sinceChange()).isBetween(rises.get(0) - 3_000L, 512L);
    }

    @Test
    void aStationaryStreamRaisesNoAlarmInAHundredThousandValues() {
        for (long seed = 1; seed <= 3; seed++) {
            double[] xs = errors(seed, 100_000, 100_000, 0.3, 0.3);

            assertThat(rises(new Adwin(TRAINER), xs)).as("seed " + seed).isEmpty();
        }
    }

    @Test
    void aFallingErrorRateShrinksTheWindowButIsNoDrift() {
        // Given a model whose error falls from 60% to 10%, as one learning does
        double[] xs = errors(2, 4_000, 1_000, 0.6, 0.1);
        Adwin adwin = new Adwin(TRAINER);

        // Then no rise is reported, yet the window forgot the values before the fall
        assertThat(rises(adwin, xs)).isEmpty();
        assertThat(adwin.width()).isLessThan(3_200);
        assertThat(adwin.mean()).isLessThan(0.15);
    }

    @Test
    void riverDefaultsDetectAJumpInTheMean() {
        // River's own example: uniform integers in [0, 3] then in [4, 7] from value 1,000 (scaled
        // into [0, 1]), with River's defaults
        Random random = new Random(42);
        Adwin adwin = new Adwin(Adwin.Options.river());
        int first = -1;
        for (int i = 0; i < 2_000 && first < 0; i++) {
            double x = (i < 1_000 ? random.nextInt(4) : 4 + random.nextInt(4)) / 7.0;
            if (adwin.add(x)) {
                first = i;
            }
        }
        assertThat(first).isBetween(1_000, 1_064);
    }

    @Test
    void aRestoredStateContinuesExactly() {
        // Given a stream with a change, and one detector that is stopped and restored halfway
        double[] xs = errors(3, 6_000, 4_000, 0.1, 0.6);
        Adwin whole = new Adwin(TRAINER);
        List<Integer> expected = rises(whole, xs);

        Adwin first = new Adwin(TRAINER);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            if (first.add(xs[i])) {
                got.add(i);
            }
        }
        Adwin second = new Adwin(TRAINER);
        second.restore(first.state());
        for (int i = 2_500; i < xs.length; i++) {
            if (second.add(xs[i])) {
                got.add(i);
            }
        }

        // Then it detects what the uninterrupted one did, and ends in the same state
        assertThat(got).isEqualTo(expected).isNotEmpty();
        assertThat(second.state()).containsExactly(whole.state());
    }

    @Test
    void refusesAStateThatIsNotItsOwn() {
        Adwin adwin = new Adwin(TRAINER);

        assertThatThrownBy(
                        () -> adwin.restore(new PageHinkley(PageHinkley.Options.river()).state()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an ADWIN state");
        assertThatThrownBy(() -> Adwin.Options.river().withDelta(0))
                .hasMessageContaining("delta must be in (0, 1)");
    }
}
