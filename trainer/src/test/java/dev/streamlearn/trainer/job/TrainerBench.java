package dev.streamlearn.trainer.job;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.spec.ModelKind;
import dev.streamlearn.models.spec.TextClassifierSpec;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SourceOffset;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.learning.TextClassifierLearner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The trainer's speed figures for BENCHMARKS.md, in one run: examples/s of the bare learner loop,
 * of the same test-then-train loop the learner operator runs, and of the whole job (Kafka in →
 * version out) on the same texts and mini-batch size; then freshness, the time from a labelled
 * event's append to the moment a read_committed reader receives a version that has consumed it,
 * with the default publish and checkpoint intervals. A benchmark harness, not a test. From the
 * repository root:
 *
 * <pre>
 * flock /tmp/streamlearn-mvn.lock mvn -B -o -q -pl trainer test-compile exec:java \
 *     -Dexec.classpathScope=test -Dexec.mainClass=dev.streamlearn.trainer.job.TrainerBench \
 *     -Dexec.args="2000 600 10"
 * </pre>
 *
 * (arguments: texts for throughput, texts for freshness, their rate per second). Run with {@code
 * OMP_NUM_THREADS=1} in the environment. Prints Markdown on stdout.
 */
public final class TrainerBench {
    private static final int WARM_UP = 400;
    private static final List<String> OUT = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        int throughputTexts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int freshnessTexts = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        ModelDefinition model = ModelDefinition.defaults(ModelKind.TEXT_CLASSIFIER);
        int batch = model.modelSpec().get(TextClassifierSpec.BATCH_SIZE);
        List<TextEvent> spam = Datasets.spam(WARM_UP + throughputTexts + freshnessTexts);
        List<TextEvent> warm = spam.subList(0, WARM_UP);
        List<TextEvent> measured = spam.subList(WARM_UP, WARM_UP + throughputTexts);
        List<TextEvent> fresh = spam.subList(WARM_UP + throughputTexts, spam.size());

        // Bare loops first, in this JVM, each warmed up on other texts.
        learnerLoop(model, warm);
        double learner = learnerLoop(model, measured);
        prequentialLoop(model, warm);
        double prequential = prequentialLoop(model, measured);

        Path dir = Files.createTempDirectory("trainer-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0)) {
            KafkaTestTopics kafka = new KafkaTestTopics(broker.bootstrapServers());
            KafkaTrainingIo io = kafka.create("bench", Topics.TEXT_EVENTS.partitions());
            TrainingJob job = new TrainingJob(List.of(model), TrainingOptions.defaults());
            Versions versions = new Versions(broker.bootstrapServers(), io.versionsTopic());
            try (TrainingJobHandle handle =
                    TrainingJobRunner.start(
                            job, io, dir.resolve("checkpoints"), new Configuration())) {
                versions.start();
                // Warm the job up (start-up, JIT, ND4J) on other texts.
                send(broker.bootstrapServers(), io.textTopic(), warm, 0);
                versions.await(WARM_UP);
                long start = System.currentTimeMillis();
                send(broker.bootstrapServers(), io.textTopic(), measured, 0);
                ModelVersion last = versions.await(WARM_UP + throughputTexts);
                double seconds = (last.getCreatedAt().toEpochMilli() - start) / 1000.0;
                double job1 = throughputTexts / seconds;
                OUT.add("| what | examples/s | vs bare learner loop |");
                OUT.add("|---|---:|---:|");
                row("bare learner loop (`TextClassifierLearner.offer`)", learner, learner);
                row(
                        "test-then-train loop (`TextTrainer.offer`, the operator's work)",
                        prequential,
                        learner);
                row(
                        "whole job: Kafka in → version out (4 partitions, parallelism 2)",
                        job1,
                        learner);

                // Freshness: paced appends, versions as a read_committed reader receives them.
                Map<TopicPartition, List<long[]>> appended =
                        send(broker.bootstrapServers(), io.textTopic(), fresh, rate);
                versions.await(WARM_UP + throughputTexts + freshnessTexts);
                long[] lags = versions.freshness(appended);
                Arrays.sort(lags);
                OUT.add("");
                OUT.add(
                        "freshness over "
                                + lags.length
                                + " labelled texts at "
                                + rate
                                + "/s: p50 "
                                + percentile(lags, 0.50)
                                + " ms, p99 "
                                + percentile(lags, 0.99)
                                + " ms, max "
                                + lags[lags.length - 1]
                                + " ms (publish interval "
                                + TrainingOptions.DEFAULT_PUBLISH_INTERVAL.toMillis()
                                + " ms, checkpoint interval "
                                + TrainingJobRunner.CHECKPOINT_INTERVAL.toMillis()
                                + " ms)");
            } finally {
                versions.finish();
            }
        }
        System.out.println(
                "spec "
                        + model.spec()
                        + "; batch "
                        + batch
                        + "; JVM "
                        + System.getProperty("java.version")
                        + ", "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores, OMP_NUM_THREADS="
                        + System.getenv("OMP_NUM_THREADS"));
        OUT.forEach(System.out::println);
        System.exit(0);
    }

    private static void row(String what, double perSecond, double reference) {
        OUT.add(String.format("| %s | %.0f | %.2f |", what, perSecond, perSecond / reference));
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    private static double learnerLoop(ModelDefinition model, List<TextEvent> texts) {
        TextClassifierLearner learner = new TextClassifierLearner(model.modelSpec());
        long start = System.nanoTime();
        for (TextEvent e : texts) {
            learner.offer(e.getText(), e.getLabel());
        }
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double prequentialLoop(ModelDefinition model, List<TextEvent> texts) {
        TextTrainer trainer = new TextTrainer(model.modelSpec());
        List<TrainingInput> inputs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            inputs.add(Fixtures.labelled(i, texts.get(i)));
        }
        long start = System.nanoTime();
        for (TrainingInput in : inputs) {
            trainer.offer(in);
        }
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Sends the texts, paced at {@code rate} per second (0: as fast as possible), and returns per
     * partition the (offset, append timestamp) of each.
     */
    private static Map<TopicPartition, List<long[]>> send(
            String bootstrap, String topic, List<TextEvent> texts, int rate) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, rate == 0 ? "5" : "0");
        Map<TopicPartition, List<long[]>> appended = new HashMap<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < texts.size(); i++) {
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                }
                TextEvent e = texts.get(i);
                sent.add(
                        producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        e.getId().getBytes(StandardCharsets.UTF_8),
                                        TrainingJobIT.encode(topic, e))));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get();
                appended.computeIfAbsent(
                                new TopicPartition(m.topic(), m.partition()),
                                k -> new ArrayList<>())
                        .add(new long[] {m.offset(), m.timestamp()});
            }
        }
        return appended;
    }

    /** Reads versions (read_committed) in the background, noting when each arrived. */
    private static final class Versions extends Thread {
        private final String bootstrap;
        private final String topic;
        private final List<ModelVersion> received = new ArrayList<>();
        private final Map<Long, Long> receivedAt = new ConcurrentHashMap<>();
        private volatile boolean running = true;

        Versions(String bootstrap, String topic) {
            super("versions-reader");
            this.bootstrap = bootstrap;
            this.topic = topic;
        }

        @Override
        public void run() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MODEL_VERSION_MAX_BYTES);
            try (KafkaConsumer<byte[], byte[]> consumer =
                    new KafkaConsumer<>(
                            p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                TopicPartition tp = new TopicPartition(topic, 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        ModelVersion v = TrainingJobIT.version(r.value());
                        synchronized (received) {
                            received.add(v);
                            receivedAt.put(v.getVersion(), now);
                            received.notifyAll();
                        }
                    }
                }
            }
        }

        ModelVersion await(long examples) throws InterruptedException {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
            synchronized (received) {
                while (Instant.now().isBefore(deadline)) {
                    for (ModelVersion v : received) {
                        if (v.getExamplesSeen() >= examples) {
                            return v;
                        }
                    }
                    received.wait(1000);
                }
            }
            throw new IllegalStateException(
                    "no version with "
                            + examples
                            + " examples within 10 min; got "
                            + received.size());
        }

        /** Per appended record: arrival of the first version whose offsets cover it − append. */
        long[] freshness(Map<TopicPartition, List<long[]>> appended) {
            List<Long> lags = new ArrayList<>();
            synchronized (received) {
                appended.forEach(
                        (tp, records) -> {
                            for (long[] r : records) {
                                for (ModelVersion v : received) {
                                    if (covers(v, tp, r[0])) {
                                        lags.add(receivedAt.get(v.getVersion()) - r[1]);
                                        break;
                                    }
                                }
                            }
                        });
            }
            return lags.stream().mapToLong(Long::longValue).toArray();
        }

        private static boolean covers(ModelVersion v, TopicPartition tp, long offset) {
            for (SourceOffset o : v.getSourceOffsets()) {
                if (o.getTopic().equals(tp.topic())
                        && o.getPartition() == tp.partition()
                        && o.getOffset() > offset) {
                    return true;
                }
            }
            return false;
        }

        void finish() {
            running = false;
        }
    }
}
