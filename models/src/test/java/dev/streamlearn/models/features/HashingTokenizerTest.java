package dev.streamlearn.models.features;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HashingTokenizerTest {
    private final HashingTokenizer tokenizer = new HashingTokenizer(1 << 10, 5);

    @Test
    void lowerCasesAndSplitsOnAnythingButLettersAndDigits() {
        TokenizedText text = tokenizer.tokenize("Hello, WORLD! 42x  café");
        assertThat(text.tokens()).containsExactly("hello", "world", "42x", "café");
        assertThat(text.ids()).hasSize(4);
    }

    @Test
    void theSameTokenAlwaysGetsTheSameIdInsideTheVocabularyButNeverPadding() {
        TokenizedText a = tokenizer.tokenize("free money free");
        assertThat(a.ids()[0]).isEqualTo(a.ids()[2]).isEqualTo(tokenizer.id("free"));
        for (String w : new String[] {"a", "b", "viagra", "zzzzzz", "0"}) {
            assertThat(tokenizer.id(w)).isBetween(1, (1 << 10) - 1);
        }
    }

    @Test
    void keepsOnlyTheFirstMaxTokens() {
        TokenizedText text = tokenizer.tokenize("a b c d e f g");
        assertThat(text.tokens()).containsExactly("a", "b", "c", "d", "e");
        assertThat(text.truncated()).isTrue();
    }

    @Test
    void anEmptyTextIsOneUnmaskedPaddingToken() {
        TokenizedText text = tokenizer.tokenize(" ,;!? ");
        assertThat(text.ids()).containsExactly(HashingTokenizer.PADDING_ID);
        assertThat(text.isEmpty()).isTrue();
    }
}
