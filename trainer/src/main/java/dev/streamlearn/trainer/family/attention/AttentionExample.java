package dev.streamlearn.trainer.family.attention;

import java.io.Serializable;

/** One attention classifier training example: token ids (at least one) and the label's slot. */
public record AttentionExample(int[] ids, int slot) implements Serializable {}
