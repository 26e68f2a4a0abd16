/**
 * The trainer's side of {@code text-classifier}: its DL4J network and learner, its test-then-train
 * trainer (the majority class so far as the baseline), and its input wiring (decode labelled
 * texts).
 */
package dev.streamlearn.trainer.family.text;
