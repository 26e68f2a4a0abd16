package dev.streamlearn.models.family.mlp;

import java.util.Map;

/**
 * The score of one vector: the predicted label (null before any label is known), the probability of
 * each known label, and per feature its contribution to the predicted label's logit, gradient ×
 * input (Shrikumar et al. 2016; Simonyan et al. 2014 for the gradient): exact for a linear model, a
 * first-order account of a network's.
 */
public record VectorPrediction(
        String predictedLabel, Map<String, Double> probabilities, double[] contributions) {}
