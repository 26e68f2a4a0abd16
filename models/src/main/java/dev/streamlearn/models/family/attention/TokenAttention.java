package dev.streamlearn.models.family.attention;

/**
 * The attention the pooled representation pays to one distinct token ({@link
 * AttentionTextKernel#attentionToTokens}), summed over its occurrences.
 *
 * @param token the lower-cased token ({@code ""} for the padding token of an empty text)
 * @param count occurrences in the (truncated) text
 * @param attention its share of all attention, in [0, 1]; the shares of a text sum to 1
 */
public record TokenAttention(String token, int count, double attention) {}
