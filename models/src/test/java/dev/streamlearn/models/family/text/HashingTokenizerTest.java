package dev.streamlearn.models.family.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
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
        assertThat(text.tokens()).containsExactly("");
        assertThat(text.isEmpty()).isTrue();
    }

    @Test
    void equalTokensShareADistinctIndexInOrderOfFirstAppearance() {
        TokenizedText text =
                new HashingTokenizer(1 << 10, 100).tokenize("Free money FREE mOnEy now");
        assertThat(text.distinctIndex()).containsExactly(0, 1, 0, 1, 2);
        assertThat(text.distinctCount()).isEqualTo(3);
        assertThat(text.firstPositions()).containsExactly(0, 1, 4);
        assertThat(text.occurrences()).containsExactly(2, 2, 1);
    }

    @Test
    void tokensThatShareAnIdStayDistinct() {
        HashingTokenizer twoIds = new HashingTokenizer(3, 100); // ids 1 and 2 only
        TokenizedText text = twoIds.tokenize("a b c d e f a");
        assertThat(text.distinctIndex()).containsExactly(0, 1, 2, 3, 4, 5, 0);
        assertThat(text.occurrences()).containsExactly(2, 1, 1, 1, 1, 1);
    }

    @Test
    void everyCharTokenizesAsIfTheWholeTextWereLowerCasedFirst() {
        HashingTokenizer wide = new HashingTokenizer(1 << 14, 400);
        StringTokenizerReference reference = new StringTokenizerReference(wide, 400);
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            String ch = String.valueOf((char) c);
            for (String text :
                    new String[] {ch, "Ab" + ch, ch + "Cd", "x" + ch + "Y z", "ΟΔΟ" + ch}) {
                assertSameAsReference(wide, reference, text);
            }
        }
    }

    @Test
    void supplementaryCharactersTokenizeAsIfTheWholeTextWereLowerCasedFirst() {
        HashingTokenizer wide = new HashingTokenizer(1 << 14, 400);
        StringTokenizerReference reference = new StringTokenizerReference(wide, 400);
        for (int cp = Character.MIN_SUPPLEMENTARY_CODE_POINT;
                cp <= Character.MAX_CODE_POINT;
                cp++) {
            assertSameAsReference(wide, reference, "Ab" + Character.toString(cp) + "Cd");
        }
    }

    @Test
    void contextDependentLowerCasesMatchTheWholeText() {
        HashingTokenizer wide = new HashingTokenizer(1 << 14, 3);
        StringTokenizerReference reference = new StringTokenizerReference(wide, 3);
        for (String text :
                new String[] {
                    "ΟΔΟΣ ΣΟΦΟΣ", "İSTANBUL İi", "a b c ΟΔΟΣ", "a b c d ΟΔΟΣ", "ΣΑ", "Σ", "xİy"
                }) {
            assertSameAsReference(wide, reference, text);
        }
    }

    @Test
    void randomMixedTextsTokenizeAsTheReference() {
        HashingTokenizer small = new HashingTokenizer(1 << 8, 20);
        StringTokenizerReference reference = new StringTokenizerReference(small, 20);
        Random random = new Random(7);
        char[] alphabet =
                "aAbBzZ09 ,.-_'éÉßÅåΣσςİıI\u00b5\u01c5\u1e9e\u2160\ud801\udc00".toCharArray();
        for (int i = 0; i < 20_000; i++) {
            char[] text = new char[random.nextInt(60)];
            for (int j = 0; j < text.length; j++) {
                text[j] =
                        random.nextInt(4) == 0
                                ? (char) random.nextInt(Character.MAX_VALUE + 1)
                                : alphabet[random.nextInt(alphabet.length)];
            }
            assertSameAsReference(small, reference, new String(text));
        }
    }

    private static void assertSameAsReference(
            HashingTokenizer tokenizer, StringTokenizerReference reference, String text) {
        StringTokenizerReference.Tokens expected = reference.tokenize(text);
        TokenizedText actual = tokenizer.tokenize(text);
        if (Arrays.equals(actual.ids(), expected.ids())
                && actual.tokens().equals(expected.tokens())
                && actual.truncated() == expected.truncated()) {
            return; // checked without AssertJ: this runs over a million times
        }
        assertThat(actual.ids()).as("ids of %s", text).containsExactly(expected.ids());
        assertThat(actual.tokens()).as("tokens of %s", text).isEqualTo(expected.tokens());
        assertThat(actual.truncated()).as("truncated %s", text).isEqualTo(expected.truncated());
    }
}
