package dev.streamlearn.trainer.learning;

/**
 * Why a learner refused an example; a caller sends it to {@code dead-letters} (stage "train") or
 * counts it.
 *
 * @param reason what was wrong and what was expected
 */
public record Rejection(String reason) {}
