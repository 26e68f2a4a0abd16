/**
 * Change detectors for a stream of losses (issue 17 item 5): {@link
 * dev.streamlearn.models.drift.Adwin} and {@link dev.streamlearn.models.drift.PageHinkley}, as
 * River and MOA define them. Plain Java, no state beyond a few numbers, which {@code state()} gives
 * as {@code double[]} for checkpoints. What a detection does is the trainer's business.
 */
package dev.streamlearn.models.drift;
