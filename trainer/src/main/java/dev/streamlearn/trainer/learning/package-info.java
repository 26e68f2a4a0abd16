/**
 * Online learning with DL4J, without Flink: {@link dev.streamlearn.trainer.learning.OnlineLearner}
 * learns from examples in mini-batches (Adam) on the network its family configures (each family's
 * learner lives in {@code trainer.family.<name>}), {@link
 * dev.streamlearn.trainer.learning.LearnerSnapshot} carries their exact state, and {@link
 * dev.streamlearn.trainer.learning.Dl4jWeights} exports weights in the order the {@code models}
 * kernels read.
 *
 * <p>Running it: set {@code OMP_NUM_THREADS=1} in the environment of every JVM that trains (small
 * ND4J calls slowed down 20-35x under load with OpenMP's default thread pool); ND4J unpacks ~400 MB
 * of native libraries on first start, {@code -Dorg.bytedeco.javacpp.cachedir=DIR} chooses where;
 * native memory (2-4 GB RSS) far exceeds the heap these small models need.
 */
package dev.streamlearn.trainer.learning;
