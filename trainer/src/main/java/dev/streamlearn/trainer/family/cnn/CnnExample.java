package dev.streamlearn.trainer.family.cnn;

import java.io.Serializable;

/** One image training example: its pixels (0-255, channel-last) and the label's output slot. */
public record CnnExample(byte[] pixels, int slot) implements Serializable {}
