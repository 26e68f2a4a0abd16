package dev.streamlearn.trainer.family.text;

import java.io.Serializable;

/** One classifier training example: token ids (at least one) and the label's output slot. */
public record TextExample(int[] ids, int slot) implements Serializable {}
