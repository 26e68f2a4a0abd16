package dev.streamlearn.trainer.flink;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;

/**
 * Data-parallel learning's figures for BENCHMARKS.md ("Data-parallel learning"), in one run: the
 * default text model learned from the same stream of labelled texts (4 partitions) by one learner
 * (no parallelism: the single learner operator) and by two combined learners ({@code parallelism
 * 2}), each job on a fresh MiniCluster in this process, against one broker in a process of its own:
 * examples/s from the first append to the version that has learned every text, examples per
 * CPU-second of this process (the job and the bench's version reader) and of it and the broker
 * together over the same span, prequential accuracy of that version, and the versions published. P
 * = 1 and P = 2 alternate, {@code rounds} times. The combine-cost figures come from {@code
 * parallel.DataParallelCosts}. A benchmark harness, not a test. From the repository root:
 *
 * <pre>
 * mvn -B -q -pl trainer dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * mvn -B -q -pl trainer test-compile
 * cd trainer &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     dev.streamlearn.trainer.flink.DataParallelBench 8000 2 16,64
 * </pre>
 *
 * (texts, rounds, staleness bounds of P = 2 in mini-batches: {@code
 * -Dstreamlearn.parallel.staleMiniBatches}, default 16).
 */
public final class DataParallelBench {
    private static final int WARM_UP = 400;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String[] bounds = (args.length > 2 ? args[2] : "16").split(",");
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
                        + " CPU-second (job) | examples per CPU-second (job + broker) |"
                        + " prequential accuracy | versions | version bytes |");
        rows.add("|---:|---:|---:|---:|---:|---:|---:|---:|");
        Process broker = startBroker(dir.resolve("broker"));
        try {
            String bootstrap =
                    new BufferedReader(
                                    new InputStreamReader(
                                            broker.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
            if (bootstrap == null) {
                throw new IllegalStateException("the broker process did not start");
            }
            KafkaTestTopics kafka = new KafkaTestTopics(bootstrap);
            int run = 0;
            for (int round = 0; round < rounds; round++) {
                rows.add(run(kafka, broker, dir, run++, model, 0, warm, measured));
                for (String b : bounds) {
                    int stale = Integer.parseInt(b.trim());
                    System.setProperty("streamlearn.parallel.staleMiniBatches", "" + stale);
                    rows.add(
                            run(
                                    kafka,
                                    broker,
                                    dir,
                                    run++,
                                    model.withParallelism(2),
                                    stale,
                                    warm,
                                    measured));
                }
            }
        } finally {
            broker.getOutputStream().close(); // the broker stops at the end of its input
            broker.waitFor();
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

    /** This bench's classpath, running {@link Broker} in a JVM of its own. */
    private static Process startBroker(Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Broker.class.getName(),
                        dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** The broker's process: prints its bootstrap servers, stops when its input ends. */
    public static final class Broker {
        public static void main(String[] args) throws Exception {
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of(args[0]), 0)) {
                System.out.println(broker.bootstrapServers());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait for the end of input
                }
            }
            System.exit(0);
        }
    }

    private static String run(
            KafkaTestTopics kafka,
            Process broker,
            Path dir,
            int run,
            ModelDefinition model,
            int stale,
            List<TextEvent> warm,
            List<TextEvent> measured)
            throws Exception {
        String name =
                "bench-"
                        + run
                        + "-p"
                        + (model.parallelism() == null ? 1 : model.parallelism())
                        + "-"
                        + stale;
        KafkaTrainingIo io = kafka.create(name, 4);
        TrainingJob job =
                new TrainingJob(
                        List.of(model),
                        TrainingOptions.defaults()
                                .withMaxBatchSize(8)
                                .withPublishInterval(Duration.ofSeconds(1)));
        long total = warm.size() + measured.size();
        try (TrainingJobHandle handle =
                TrainingJobRunner.start(job, io, dir.resolve(name), overrides())) {
            kafka.produce(io.textTopic(), records(io.textTopic(), warm));
            awaitExamples(kafka, io, warm.size());
            long start = System.currentTimeMillis();
            long cpu0 = processCpuNanos();
            long brokerCpu0 = cpuNanos(broker);
            Map<Long, Long> threads0 = threadCpu();
            kafka.produce(io.textTopic(), records(io.textTopic(), measured));
            List<ModelVersion> versions = awaitExamples(kafka, io, total);
            long cpu = processCpuNanos() - cpu0;
            long brokerCpu = cpuNanos(broker) - brokerCpu0;
            System.out.println(name + ": " + breakdown(threads0, threadCpu(), cpu, brokerCpu));
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
            String row =
                    String.format(
                            "| %s | %s | %,.0f | %,.0f | %,.0f | %.4f | %d | %,d |",
                            model.parallelism() == null
                                    ? "1 (single learner)"
                                    : model.parallelism(),
                            stale == 0 ? "-" : stale,
                            measured.size() / seconds,
                            measured.size() / (cpu / 1e9),
                            measured.size() / ((cpu + brokerCpu) / 1e9),
                            last.getMetrics().get("accuracy"),
                            measuredVersions,
                            bytes);
            System.out.println(row);
            return row;
        }
    }

    /** CPU time of every live thread of this process, by thread id. */
    private static Map<Long, Long> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, t);
            }
        }
        return cpu;
    }

    /**
     * Where this process's CPU went over a run, in seconds: by thread name (numbers dropped), the
     * rest (garbage collection, the JIT, threads that ended) as "other"; and the broker's.
     */
    private static String breakdown(
            Map<Long, Long> before, Map<Long, Long> after, long cpu, long brokerCpu) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> byName = new TreeMap<>();
        long threads = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            var info = mx.getThreadInfo(e.getKey());
            if (info == null) {
                continue;
            }
            long used = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            String group = info.getThreadName().replaceAll("[0-9]+", "#");
            group = group.length() > 48 ? group.substring(0, 48) : group;
            byName.merge(group, used, Long::sum);
            threads += used;
        }
        StringBuilder out = new StringBuilder();
        byName.entrySet().stream()
                .filter(e -> e.getValue() > 50_000_000L)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(
                        e ->
                                out.append(
                                        String.format(
                                                "%s %.2f; ", e.getKey(), e.getValue() / 1e9)));
        out.append(
                String.format(
                        "other %.2f; process %.2f; broker %.2f",
                        (cpu - threads) / 1e9, cpu / 1e9, brokerCpu / 1e9));
        return out.toString();
    }

    /** {@code -Dbench.checkpointMillis=N} measures at another checkpoint interval. */
    private static Configuration overrides() {
        Configuration conf = new Configuration();
        Long millis = Long.getLong("bench.checkpointMillis");
        if (millis != null) {
            conf.set(
                    org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL,
                    Duration.ofMillis(millis));
        }
        return conf;
    }

    private static long cpuNanos(Process p) {
        return p.info().totalCpuDuration().orElseThrow().toNanos();
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
