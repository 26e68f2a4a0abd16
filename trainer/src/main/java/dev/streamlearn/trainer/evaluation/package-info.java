/**
 * Prequential (test-then-train) evaluation (Dawid 1984; Gama, Sebastião &amp; Rodrigues 2013):
 * every example is first scored with the weights learned so far, by the same {@code models} kernels
 * the scorer uses, then learned; baselines run alongside on the same examples. Behind {@code
 * streamlearn evaluate}.
 */
package dev.streamlearn.trainer.evaluation;
