package dev.streamlearn.models.family.text;

/**
 * How much one distinct token moved the winning class's logit: the sum over its occurrences.
 *
 * @param token the lower-cased token ({@code ""} for the padding token of an empty text)
 * @param count occurrences in the (truncated) text
 * @param contribution its exact share of the logit
 */
public record TokenContribution(String token, int count, double contribution) {}
