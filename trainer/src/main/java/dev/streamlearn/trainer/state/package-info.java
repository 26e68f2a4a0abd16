/**
 * What the learner operator keeps in Flink state per model, and its hand-written checkpoint format
 * (bitwise-exact restores, a format number first).
 */
package dev.streamlearn.trainer.state;
