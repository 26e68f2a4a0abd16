package dev.streamlearn.models.features;

import java.util.List;

/**
 * A text as the classifier reads it: token ids in {@code [0, vocabSize)} and the tokens they came
 * from. Id 0 is reserved for padding; an empty text is one unmasked padding token, because DL4J's
 * average pooling over an all-zero mask gives NaN.
 *
 * @param ids one id per token, {@code ids.length == tokens.size() >= 1}
 * @param tokens the lower-cased tokens ({@code ""} for the padding token of an empty text)
 * @param truncated whether tokens beyond {@code maxTokens} were dropped
 */
public record TokenizedText(int[] ids, List<String> tokens, boolean truncated) {

    /** Whether the text had no token at all (and is represented by the padding token). */
    public boolean isEmpty() {
        return ids.length == 1 && ids[0] == HashingTokenizer.PADDING_ID;
    }

    public int length() {
        return ids.length;
    }
}
