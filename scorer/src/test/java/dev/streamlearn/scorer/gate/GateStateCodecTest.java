package dev.streamlearn.scorer.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.gate.PairedComparison;
import dev.streamlearn.models.gate.PromotionGate;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** How {@code model-gates} holds a gate's state, and reads what an earlier scorer wrote. */
class GateStateCodecTest {
    @Test
    void aGatesStateComesBackAsItWent() {
        PromotionGate.State state =
                new PromotionGate.State(
                        7,
                        6,
                        9,
                        8,
                        new PairedComparison.State(40, 2.5, 2.0, 0.0125, 0.3, 40, 24.0),
                        new PairedComparison.State(12, 1.0, 1.1, -0.01, 0.02, 11, 7.0),
                        new PairedComparison.State(40, 2.5, 24.0, -0.5375, 0.9, 0, 0),
                        new PairedComparison.State(40, 2.5, 2.4, 0.0025, 0.2, 40, 24.0));

        assertThat(GateProcessor.decode(GateProcessor.encode(state))).isEqualTo(state);
    }

    @Test
    void aStateWrittenBeforeCandidatesWereHeldAgainstPreviousReadsWithoutThatComparison() {
        // Given a format-2 state: header, then promotion, rollback and versus-baseline
        ByteBuffer v2 = ByteBuffer.allocate(1 + 4 * Long.BYTES + 3 * (2 * Long.BYTES + 5 * 8));
        v2.put((byte) 2).putLong(7).putLong(6).putLong(9).putLong(8);
        for (int c = 0; c < 3; c++) {
            v2.putLong(40 + c).putDouble(2.5).putDouble(2.0).putDouble(0.0125).putDouble(0.3);
            v2.putLong(40 + c).putDouble(24.0);
        }

        PromotionGate.State state = GateProcessor.decode(v2.array());

        assertThat(state.previous()).isEqualTo(6);
        assertThat(state.promotion())
                .isEqualTo(new PairedComparison.State(40, 2.5, 2.0, 0.0125, 0.3, 40, 24.0));
        assertThat(state.versusBaseline().n()).isEqualTo(42);
        assertThat(state.versusPrevious()).isEqualTo(PairedComparison.State.EMPTY);
    }

    @Test
    void aStateWrittenBeforeTheBaselineReadsWithoutIt() {
        ByteBuffer v1 = ByteBuffer.allocate(1 + 4 * Long.BYTES + 2 * (Long.BYTES + 4 * 8));
        v1.put((byte) 1).putLong(7).putLong(6).putLong(9).putLong(8);
        v1.putLong(40).putDouble(2.5).putDouble(2.0).putDouble(0.0125).putDouble(0.3);
        v1.putLong(12).putDouble(1.0).putDouble(1.1).putDouble(-0.01).putDouble(0.02);

        PromotionGate.State state = GateProcessor.decode(v1.array());

        assertThat(state.candidate()).isEqualTo(9);
        assertThat(state.promotion())
                .isEqualTo(new PairedComparison.State(40, 2.5, 2.0, 0.0125, 0.3, 0, 0));
        assertThat(state.rollback())
                .isEqualTo(new PairedComparison.State(12, 1.0, 1.1, -0.01, 0.02, 0, 0));
        assertThat(state.versusBaseline()).isEqualTo(PairedComparison.State.EMPTY);
    }

    @Test
    void anUnknownFormatIsRefusedByName() {
        assertThatThrownBy(() -> GateProcessor.decode(new byte[] {9}))
                .hasMessage("gate state format 9, expected 1, 2 or 3");
    }
}
