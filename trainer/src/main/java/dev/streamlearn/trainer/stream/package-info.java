/**
 * The streams between the job's operators (training inputs, dead letters, training metrics) and the
 * type information Flink serializes them with.
 */
package dev.streamlearn.trainer.stream;
