/**
 * The trainer's side of {@code lstm-forecaster}: its DL4J network and learner, its test-then-train
 * trainer (persistence as the baseline), and its input wiring (decode, then the last W points per
 * series).
 */
package dev.streamlearn.trainer.family.lstm;
