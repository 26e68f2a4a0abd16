package dev.streamlearn.models.family.mlp;

/**
 * A vector tested before it is learned: the label the model gives it (null before any label is
 * known) and the probability it gives the true one (0 for a label it does not know).
 */
public record TestedVector(String predicted, double probabilityOfActual) {}
