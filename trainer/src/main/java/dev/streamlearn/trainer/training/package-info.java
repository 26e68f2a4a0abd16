/**
 * Prequential (test-then-train) training without Flink: what a model to train is ({@link
 * dev.streamlearn.trainer.training.ModelDefinition}), what reaches its learner ({@link
 * dev.streamlearn.trainer.training.TrainingInput}), and the per-model {@link
 * dev.streamlearn.trainer.training.ModelTrainer} each family implements.
 */
package dev.streamlearn.trainer.training;
