/**
 * The trainer's side of {@code cnn-classifier}: its DL4J network (the reference its plain-Java
 * learner and the scoring kernel are held to), the plain-Java learner, its test-then-train trainer
 * (the majority class so far as the baseline), and its input wiring (decode labelled images).
 */
package dev.streamlearn.trainer.family.cnn;
