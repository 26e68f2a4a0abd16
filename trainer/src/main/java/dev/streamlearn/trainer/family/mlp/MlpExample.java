package dev.streamlearn.trainer.family.mlp;

import java.io.Serializable;

/** One vector training example: its features and the label's output slot. */
public record MlpExample(double[] features, int slot) implements Serializable {}
