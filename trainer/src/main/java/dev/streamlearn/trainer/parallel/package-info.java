/**
 * Data-parallel learning of one model (docs/ARCHITECTURE.md, "Data-parallel learning"): P {@link
 * dev.streamlearn.trainer.parallel.DeltaLearnerOperator} subtasks each learn test-then-train from
 * their share of the model's input partitions and send what they learned since their last send (a
 * {@link dev.streamlearn.trainer.parallel.Delta}, sparse in the embedding); one {@link
 * dev.streamlearn.trainer.parallel.CombinerOperator} per model adds the deltas into the global
 * weights, feeds the rows each delta changed back to the learners at once (numbered {@link
 * dev.streamlearn.trainer.parallel.FeedVersion}s on a feedback topic, read by a {@link
 * dev.streamlearn.trainer.parallel.VersionFeed}), onto which they rebase their unsent progress, and
 * publishes the model's one numbered version stream on its publish policy. The arithmetic ({@link
 * dev.streamlearn.trainer.parallel.DeltaLearner}, {@link
 * dev.streamlearn.trainer.parallel.Combiner}, {@link dev.streamlearn.trainer.parallel.TextColumns})
 * has no Flink in it and is tested on its own.
 */
package dev.streamlearn.trainer.parallel;
