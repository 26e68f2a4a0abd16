package dev.streamlearn.trainer.flink;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * Data-parallel learning's figures for BENCHMARKS.md ("Data-parallel learning"), in one run: the
 * default text model learned from the same stream of labelled texts (4 partitions) by one learner
 * (no parallelism: the single learner operator) and by two combined learners ({@code parallelism
 * 2}), each job on a fresh MiniCluster against one broker: examples/s from the first append to the
 * version that has learned every text, examples per CPU-second of this process over the same span
 * (broker, job and the version reader share it), prequential accuracy of that version, and the
 * versions published. The combine-cost figures come from {@code parallel.DataParallelCosts}. A
 * benchmark harness, not a test. From the repository root:
 *
 * <pre>
 * mvn -B -q -pl trainer dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * mvn -B -q -pl trainer test-compile
 * cd trainer &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     dev.streamlearn.trainer.flink.DataParallelBench 20000
 * </pre>
 */
public final class DataParallelBench {
    private static final int WARM_UP = 400;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        Path dir = Files.createTempDirectory("parallel-bench");
        List<TextEvent> spam = Datasets.spam(Integer.MAX_VALUE);
        List<TextEvent> warm = spam.subList(0, WARM_UP);
        List<TextEvent> measured = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            measured.add(spam.get(WARM_UP + i % (spam.size() - WARM_UP)));
        }
        ModelDefinition model = ModelDefinition.defaults(TextClassifierFamily.INSTANCE);
        List<String> rows = new ArrayList<>();
        rows.add(
                "| learners | staleness bound (mini-batches) | examples/s | examples per"
                        + " CPU-second | prequential accuracy | versions | version bytes |");
        rows.add("|---:|---:|---:|---:|---:|---:|---:|");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0)) {
            KafkaTestTopics kafka = new KafkaTestTopics(broker.bootstrapServers());
            rows.add(run(kafka, dir, model, 0, warm, measured));
            for (int stale : new int[] {16, 64, 256}) {
                System.setProperty("streamlearn.parallel.staleMiniBatches", "" + stale);
                rows.add(run(kafka, dir, model.withParallelism(2), stale, warm, measured));
            }
        }
        System.out.println(
                "JVM "
                        + System.getProperty("java.version")
                        + ", "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores, "
                        + n
                        + " texts");
        rows.forEach(System.out::println);
        System.exit(0);
    }

    private static String run(
            KafkaTestTopics kafka,
            Path dir,
            ModelDefinition model,
            int stale,
            List<TextEvent> warm,
            List<TextEvent> measured)
            throws Exception {
        String name =
                "bench-p" + (model.parallelism() == null ? 1 : model.parallelism()) + "-" + stale;
        KafkaTrainingIo io = kafka.create(name, 4);
        TrainingJob job =
                new TrainingJob(
                        List.of(model),
                        TrainingOptions.defaults()
                                .withMaxBatchSize(8)
                                .withPublishInterval(Duration.ofSeconds(1)));
        long total = warm.size() + measured.size();
        try (TrainingJobHandle handle =
                TrainingJobRunner.start(job, io, dir.resolve(name), new Configuration())) {
            kafka.produce(io.textTopic(), records(io.textTopic(), warm));
            awaitExamples(kafka, io, warm.size());
            long start = System.currentTimeMillis();
            long cpu0 = processCpuNanos();
            kafka.produce(io.textTopic(), records(io.textTopic(), measured));
            List<ModelVersion> versions = awaitExamples(kafka, io, total);
            long cpu = processCpuNanos() - cpu0;
            ModelVersion last =
                    versions.stream().filter(v -> v.getExamplesSeen() == total).findFirst().get();
            double seconds = (last.getCreatedAt().toEpochMilli() - start) / 1e3;
            long measuredVersions =
                    versions.stream()
                            .filter(v -> v.getExamplesSeen() > warm.size())
                            .filter(v -> v.getVersion() <= last.getVersion())
                            .count();
            long bytes =
                    versions.stream()
                            .filter(v -> v.getExamplesSeen() > warm.size())
                            .filter(v -> v.getVersion() <= last.getVersion())
                            .mapToLong(v -> v.getWeights().remaining())
                            .sum();
            return String.format(
                    "| %s | %s | %,.0f | %,.0f | %.4f | %d | %,d |",
                    model.parallelism() == null ? "1 (single learner)" : model.parallelism(),
                    stale == 0 ? "-" : stale,
                    measured.size() / seconds,
                    measured.size() / (cpu / 1e9),
                    last.getMetrics().get("accuracy"),
                    measuredVersions,
                    bytes);
        }
    }

    private static List<ModelVersion> awaitExamples(
            KafkaTestTopics kafka, KafkaTrainingIo io, long examples) {
        return kafka.awaitCommitted(
                io.versionsTopic(),
                TrainingJobIT::version,
                vs -> vs.stream().anyMatch(v -> v.getExamplesSeen() == examples),
                Duration.ofMinutes(10),
                "a version trained on " + examples + " texts",
                TrainingJobIT::describe);
    }

    private static List<byte[][]> records(String topic, List<TextEvent> texts) {
        List<byte[][]> records = new ArrayList<>();
        for (TextEvent e : texts) {
            records.add(
                    new byte[][] {KafkaTestTopics.utf8(e.getId()), TrainingJobIT.encode(topic, e)});
        }
        return records;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
