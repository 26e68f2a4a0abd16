package dev.streamlearn.trainer.family.lstm;

import java.io.Serializable;

/**
 * One forecaster training example: a normalised window and the (clipped) change to the next value
 * in the window's scale.
 */
public record SeriesExample(float[] inputs, float target) implements Serializable {}
