package dev.streamlearn.models.family.cnn;

import java.util.Map;

/**
 * The score of one image: the predicted label (null before any label is known), the probability of
 * each known label, and the {@link SaliencyMap} that explains the prediction.
 */
public record ImagePrediction(
        String predictedLabel, Map<String, Double> probabilities, SaliencyMap saliency) {}
