/**
 * The Flink wiring of the online training job: the job graph ({@link
 * dev.streamlearn.trainer.flink.TrainingJob}), the keyed learner operator, the Kafka sources and
 * exactly-once sinks, and how the job is set up and run ({@code flink run}, {@code streamlearn
 * train} and {@code local}).
 */
package dev.streamlearn.trainer.flink;
