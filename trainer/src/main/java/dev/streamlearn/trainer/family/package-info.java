/**
 * The trainer's side of the model-family seam ({@link
 * dev.streamlearn.trainer.family.TrainingFamily}); one package per family beneath it.
 */
package dev.streamlearn.trainer.family;
