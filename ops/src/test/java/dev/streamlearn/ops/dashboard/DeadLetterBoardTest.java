package dev.streamlearn.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadLetterBoardTest {
    @Test
    void reasonsDifferingOnlyInNumbersAndQuotedValuesAreOne() {
        assertThat(DeadLetterBoard.reasonOf("line 12: field 'value' is 'abc', expected a number"))
                .isEqualTo(
                        DeadLetterBoard.reasonOf(
                                "line 40: field 'value' is 'x1', expected a number"))
                .isEqualTo("line N: field … is …, expected a number");
    }
}
