package dev.streamlearn.models.family.cnn;

/**
 * An image tested before it is learned: the label the model gives it (null before any label is
 * known) and the probability it gives the true one (0 for a label it does not know).
 */
public record TestedImage(String predicted, double probabilityOfActual) {}
