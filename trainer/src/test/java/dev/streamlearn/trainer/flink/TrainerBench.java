package dev.streamlearn.trainer.flink;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.family.lstm.SeriesWindows;
import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.SourceOffset;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.family.lstm.LstmForecasterTraining;
import dev.streamlearn.trainer.family.lstm.SeriesLearner;
import dev.streamlearn.trainer.family.text.TextClassifierTraining;
import dev.streamlearn.trainer.family.text.TextLearner;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.ModelTrainer;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import dev.streamlearn.trainer.versions.DeltaPolicy;
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
import org.apache.flink.configuration.CheckpointingOptions;
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
 * mvn -B -q -pl trainer dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * mvn -B -q -pl trainer test-compile
 * cd trainer &amp;&amp; OMP_NUM_THREADS=1 java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     dev.streamlearn.trainer.flink.TrainerBench 60000 600 10 60000
 * </pre>
 *
 * (arguments: texts for throughput, texts for freshness, their rate per second, series points for
 * throughput). Run with {@code OMP_NUM_THREADS=1} in the environment. Prints Markdown on stdout.
 *
 * <p>{@code TrainerBench versions 600 10 [publishMs/checkpointMs ...]} measures only what
 * publishing costs and gives, before and after light versions, in one run on one broker: the
 * default text model learns the same paced labelled texts twice, first as versions were published
 * before (every version full, every 5 s, checkpoints every 2 s), then with today's defaults; per
 * run, freshness and the bytes written to {@code model-versions} per hour while the stream flows.
 */
public final class TrainerBench {
    private static final int WARM_UP = 400;
    private static final List<String> OUT = new ArrayList<>();
    private static final List<String> FRESHNESS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("versions")) {
            versions(
                    args.length > 1 ? Integer.parseInt(args[1]) : 600,
                    args.length > 2 ? Integer.parseInt(args[2]) : 10,
                    Arrays.asList(args).subList(Math.min(3, args.length), args.length));
            System.exit(0);
        }
        int throughputTexts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int freshnessTexts = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int throughputPoints = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        Path dir = Files.createTempDirectory("trainer-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0)) {
            OUT.add("| model | what | examples/s | vs bare learner loop |");
            OUT.add("|---|---|---:|---:|");
            text(broker.bootstrapServers(), dir, throughputTexts, freshnessTexts, rate);
            series(broker.bootstrapServers(), dir, throughputPoints);
        }
        System.out.println(
                "JVM "
                        + System.getProperty("java.version")
                        + ", "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores, OMP_NUM_THREADS="
                        + System.getenv("OMP_NUM_THREADS"));
        OUT.forEach(System.out::println);
        System.out.println();
        FRESHNESS.forEach(System.out::println);
        System.exit(0);
    }

    private static void text(
            String bootstrap, Path dir, int throughputTexts, int freshnessTexts, int rate)
            throws Exception {
        ModelDefinition model = ModelDefinition.defaults(TextClassifierFamily.INSTANCE);
        List<TextEvent> spam = Datasets.spam(Integer.MAX_VALUE);
        List<TextEvent> warm = spam.subList(0, WARM_UP);
        List<TextEvent> fresh = spam.subList(WARM_UP, WARM_UP + freshnessTexts);
        // More texts than the file holds (the fast learner needs tens of thousands for a steady
        // state of several publishes): the rest of the file, over and over.
        List<TextEvent> measured =
                cycle(spam.subList(WARM_UP + freshnessTexts, spam.size()), throughputTexts);

        // Bare loops first, in this JVM, each warmed up on other texts.
        textLearnerLoop(model, warm);
        double learner = textLearnerLoop(model, measured);
        prequentialLoop(
                TextClassifierTraining.INSTANCE.newTrainer(model.modelSpec()), textInputs(warm));
        double prequential =
                prequentialLoop(
                        TextClassifierTraining.INSTANCE.newTrainer(model.modelSpec()),
                        textInputs(measured));

        String name = "text-classifier (" + throughputTexts + " spam mails)";
        double[] adaptive =
                textJob(
                        bootstrap,
                        dir.resolve("text-adaptive"),
                        "text-adaptive",
                        model,
                        TrainingOptions.defaults(),
                        warm,
                        measured);
        KafkaTrainingIo io = new KafkaTestTopics(bootstrap).create("text", 4);
        // Mini-batches of the spec's size throughout, as in the bare loop it is compared with.
        TrainingOptions fixed =
                TrainingOptions.defaults()
                        .withMaxBatchSize(model.modelSpec().get(TextClassifierSpec.BATCH_SIZE));
        TrainingJob job = new TrainingJob(List.of(model), fixed);
        Versions versions = new Versions(bootstrap, io.versionsTopic());
        try (TrainingJobHandle handle =
                TrainingJobRunner.start(job, io, dir.resolve("text"), new Configuration())) {
            versions.start();
            // Warm the job up (start-up, JIT) on other texts.
            send(bootstrap, io.textTopic(), texts(warm), 0);
            versions.await(WARM_UP);
            long start = System.currentTimeMillis();
            send(bootstrap, io.textTopic(), texts(measured), 0);
            ModelVersion last = versions.await(WARM_UP + throughputTexts);
            double endToEnd =
                    throughputTexts / ((last.getCreatedAt().toEpochMilli() - start) / 1e3);
            double steady = versions.steadyRate(WARM_UP, WARM_UP + throughputTexts);
            row(
                    name,
                    "bare learner loop (`TextLearner.offer`, engine "
                            + model.modelSpec().get(TextClassifierSpec.ENGINE)
                            + ")",
                    learner,
                    learner);
            row(
                    name,
                    "test-then-train loop (`TextTrainer.offer`: the operator's work)",
                    prequential,
                    learner);
            row(
                    name,
                    "whole job, Kafka in → version out, steady state (4 partitions, parallelism 2)",
                    steady,
                    learner);
            row(name, "whole job, first append → last version published", endToEnd, learner);
            row(
                    name,
                    "whole job, mini-batches following the lag (default), steady state",
                    adaptive[0],
                    learner);
            row(
                    name,
                    "whole job, mini-batches following the lag (default), first append → last"
                            + " version",
                    adaptive[1],
                    learner);

            // Freshness: paced appends, versions as a read_committed reader receives them.
            Map<TopicPartition, List<long[]>> appended =
                    send(bootstrap, io.textTopic(), texts(fresh), rate);
            versions.await(WARM_UP + throughputTexts + freshnessTexts);
            long[] lags = versions.freshness(appended);
            Arrays.sort(lags);
            FRESHNESS.add(
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

    private static void series(String bootstrap, Path dir, int points) throws Exception {
        ModelDefinition model = ModelDefinition.defaults(LstmForecasterFamily.INSTANCE);
        ModelSpec spec = model.modelSpec();
        int w = spec.get(LstmForecasterSpec.WINDOW);
        // More points than the file holds, if asked: the file over and over.
        double[] file = Datasets.series("us-births-1969-1988.csv", "births", Integer.MAX_VALUE);
        double[] births = new double[WARM_UP + points];
        for (int i = 0; i < births.length; i++) {
            births[i] = file[i % file.length];
        }
        SeriesWindows windows = new SeriesWindows(spec);
        List<TrainingInput> warm = new ArrayList<>();
        List<TrainingInput> measured = new ArrayList<>();
        for (int i = w; i < births.length; i++) {
            NormalisedWindow nw = windows.normalise(births, i - w);
            TrainingInput in =
                    TrainingInput.seriesPoint(
                                    model.name(),
                                    new RecordOrigin("series-points", 0, i, 0, null, null),
                                    "births",
                                    i,
                                    births[i])
                            .withWindow(nw);
            (i < WARM_UP ? warm : measured).add(in);
        }
        seriesLearnerLoop(spec, warm);
        double learner = seriesLearnerLoop(spec, measured);
        prequentialLoop(LstmForecasterTraining.INSTANCE.newTrainer(spec), warm);
        double prequential =
                prequentialLoop(LstmForecasterTraining.INSTANCE.newTrainer(spec), measured);

        KafkaTrainingIo io = new KafkaTestTopics(bootstrap).create("series", 4);
        List<byte[][]> records = new ArrayList<>();
        for (int i = 0; i < births.length; i++) {
            SeriesPoint p =
                    new SeriesPoint("births", Instant.ofEpochSecond(86_400L * i), births[i]);
            records.add(
                    new byte[][] {
                        "births".getBytes(StandardCharsets.UTF_8),
                        Topics.SERIES_POINTS.valueSerde().serializer().serialize("s", p)
                    });
        }
        // Mini-batches of the spec's size throughout, as in the bare loop it is compared with.
        TrainingJob job =
                new TrainingJob(
                        List.of(model),
                        TrainingOptions.defaults()
                                .withMaxBatchSize(spec.get(LstmForecasterSpec.BATCH_SIZE)));
        Versions versions = new Versions(bootstrap, io.versionsTopic());
        try (TrainingJobHandle handle =
                TrainingJobRunner.start(job, io, dir.resolve("series"), new Configuration())) {
            versions.start();
            send(bootstrap, io.seriesTopic(), records.subList(0, WARM_UP), 0);
            versions.await(warm.size());
            long start = System.currentTimeMillis();
            send(bootstrap, io.seriesTopic(), records.subList(WARM_UP, records.size()), 0);
            ModelVersion last = versions.await(warm.size() + measured.size());
            double endToEnd =
                    measured.size() / ((last.getCreatedAt().toEpochMilli() - start) / 1e3);
            double steady = versions.steadyRate(warm.size(), warm.size() + measured.size());
            String name = "lstm-forecaster (" + measured.size() + " US births windows)";
            row(name, "bare learner loop (`SeriesLearner.offer`)", learner, learner);
            row(
                    name,
                    "test-then-train loop (`SeriesTrainer.offer`: the operator's work)",
                    prequential,
                    learner);
            row(
                    name,
                    "whole job, Kafka in → version out, steady state (one series: one partition)",
                    steady,
                    learner);
            row(name, "whole job, first append → last version published", endToEnd, learner);
        } finally {
            versions.finish();
        }
    }

    /** One way of publishing, as {@link #versions} compares them. */
    private record Publishing(String name, TrainingOptions options, Duration checkpointInterval) {}

    /**
     * @param candidates further intervals to compare with the default delta policy, each {@code
     *     publishMs/checkpointMs}: how the defaults were chosen
     */
    private static void versions(int texts, int rate, List<String> candidates) throws Exception {
        ModelDefinition model = ModelDefinition.defaults(TextClassifierFamily.INSTANCE);
        List<TextEvent> spam = Datasets.spam(Integer.MAX_VALUE);
        List<TextEvent> warm = spam.subList(0, WARM_UP);
        List<TextEvent> fresh = spam.subList(WARM_UP, WARM_UP + texts);
        List<Publishing> ways =
                new ArrayList<>(
                        List.of(
                                new Publishing(
                                        "before: every version full, publish 5 s, checkpoint 2 s",
                                        TrainingOptions.defaults()
                                                .withPublishInterval(Duration.ofSeconds(5))
                                                .withVersions(DeltaPolicy.fullOnly()),
                                        Duration.ofSeconds(2)),
                                new Publishing(
                                        "after: defaults (deltas, full every "
                                                + DeltaPolicy.DEFAULT_FULL_EVERY_VERSIONS
                                                + " versions or "
                                                + (DeltaPolicy.DEFAULT_FULL_EVERY_BYTES >> 20)
                                                + " MiB of deltas), publish "
                                                + TrainingOptions.DEFAULT_PUBLISH_INTERVAL
                                                        .toMillis()
                                                + " ms, checkpoint "
                                                + TrainingJobRunner.CHECKPOINT_INTERVAL.toMillis()
                                                + " ms",
                                        TrainingOptions.defaults(),
                                        TrainingJobRunner.CHECKPOINT_INTERVAL)));
        for (String candidate : candidates) {
            String[] ms = candidate.split("/");
            ways.add(
                    new Publishing(
                            "deltas by default, publish "
                                    + ms[0]
                                    + " ms, checkpoint "
                                    + ms[1]
                                    + " ms",
                            TrainingOptions.defaults()
                                    .withPublishInterval(Duration.ofMillis(Long.parseLong(ms[0]))),
                            Duration.ofMillis(Long.parseLong(ms[1]))));
        }
        System.out.println(
                "| publishing | freshness p50 | p99 | max | versions (full) | mean delta |"
                        + " `model-versions` bytes per hour | with the full versions due per hour |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        long fullBytes =
                WeightsCodec.encode(
                                TextClassifierTraining.INSTANCE
                                        .newLearner(model.modelSpec())
                                        .weights())
                        .length;
        Path dir = Files.createTempDirectory("trainer-bench-versions");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0)) {
            String bootstrap = broker.bootstrapServers();
            int run = 0;
            for (Publishing way : ways) {
                run++;
                KafkaTrainingIo io = new KafkaTestTopics(bootstrap).create("versions-" + run, 4);
                Versions versions = new Versions(bootstrap, io.versionsTopic());
                Configuration conf = new Configuration();
                conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, way.checkpointInterval());
                try (TrainingJobHandle handle =
                        TrainingJobRunner.start(
                                new TrainingJob(List.of(model), way.options()),
                                io,
                                dir.resolve("job-" + run),
                                conf)) {
                    versions.start();
                    send(bootstrap, io.textTopic(), texts(warm), 0);
                    versions.await(WARM_UP);
                    long start = System.currentTimeMillis();
                    Map<TopicPartition, List<long[]>> appended =
                            send(bootstrap, io.textTopic(), texts(fresh), rate);
                    long end = System.currentTimeMillis();
                    versions.await(WARM_UP + texts);
                    long[] lags = versions.freshness(appended);
                    Arrays.sort(lags);
                    Versions.Traffic t = versions.traffic(start, end);
                    double hour = 3_600_000.0 / (end - start);
                    DeltaPolicy policy = way.options().versions();
                    // A few minutes of stream hold no full version the policy adds over an hour.
                    double fullsDue =
                            t.versions() == t.full()
                                    ? 0
                                    : Math.max(
                                            t.versions() * hour / policy.fullEveryVersions(),
                                            t.bytesPerHour() / policy.fullEveryBytes());
                    System.out.printf(
                            "| %s | %d ms | %d ms | %d ms | %d (%d) | %s | %s | %s |%n",
                            way.name(),
                            percentile(lags, 0.50),
                            percentile(lags, 0.99),
                            lags[lags.length - 1],
                            t.versions(),
                            t.full(),
                            t.versions() == t.full()
                                    ? "–"
                                    : String.format(
                                            "%.0f kB",
                                            t.deltaBytes() / 1e3 / (t.versions() - t.full())),
                            String.format("%.1f MB", t.bytesPerHour() / 1e6),
                            String.format(
                                    "%.1f MB (%.1f full)",
                                    (t.bytesPerHour() + fullsDue * fullBytes) / 1e6, fullsDue));
                } finally {
                    versions.finish();
                }
            }
        }
        System.out.printf(
                "%d labelled texts at %d/s after %d to warm up, 4 partitions; a full default text"
                        + " version is %.1f MB%n",
                texts, rate, WARM_UP, fullBytes / 1e6);
    }

    /**
     * Runs the text job with {@code options} on its own topics: warmed up on {@code warm}, then
     * {@code measured} appended as fast as the producer goes; returns {steady-state rate, first
     * append → last version rate}.
     */
    private static double[] textJob(
            String bootstrap,
            Path dir,
            String topics,
            ModelDefinition model,
            TrainingOptions options,
            List<TextEvent> warm,
            List<TextEvent> measured)
            throws Exception {
        KafkaTrainingIo io = new KafkaTestTopics(bootstrap).create(topics, 4);
        Versions versions = new Versions(bootstrap, io.versionsTopic());
        try (TrainingJobHandle handle =
                TrainingJobRunner.start(
                        new TrainingJob(List.of(model), options), io, dir, new Configuration())) {
            versions.start();
            send(bootstrap, io.textTopic(), texts(warm), 0);
            versions.await(warm.size());
            long start = System.currentTimeMillis();
            send(bootstrap, io.textTopic(), texts(measured), 0);
            ModelVersion last = versions.await(warm.size() + measured.size());
            return new double[] {
                versions.steadyRate(warm.size(), warm.size() + measured.size()),
                measured.size() / ((last.getCreatedAt().toEpochMilli() - start) / 1e3)
            };
        } finally {
            versions.finish();
        }
    }

    /** {@code n} items: {@code items} over and over. */
    private static <T> List<T> cycle(List<T> items, int n) {
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(items.get(i % items.size()));
        }
        return out;
    }

    private static void row(String model, String what, double perSecond, double reference) {
        OUT.add(
                String.format(
                        "| %s | %s | %.0f | %.2f |",
                        model, what, perSecond, perSecond / reference));
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    private static double textLearnerLoop(ModelDefinition model, List<TextEvent> texts) {
        TextLearner learner = TextClassifierTraining.INSTANCE.newLearner(model.modelSpec());
        long start = System.nanoTime();
        for (TextEvent e : texts) {
            learner.offer(e.getText(), e.getLabel());
        }
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double seriesLearnerLoop(ModelSpec spec, List<TrainingInput> inputs) {
        SeriesLearner learner = LstmForecasterTraining.INSTANCE.newLearner(spec);
        long start = System.nanoTime();
        for (TrainingInput in : inputs) {
            TrainingInput.SeriesExample x = (TrainingInput.SeriesExample) in;
            learner.offer(x.normalisedWindow(), x.point());
        }
        return inputs.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double prequentialLoop(ModelTrainer trainer, List<TrainingInput> inputs) {
        long start = System.nanoTime();
        for (TrainingInput in : inputs) {
            trainer.offer(in);
        }
        return inputs.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static List<TrainingInput> textInputs(List<TextEvent> texts) {
        List<TrainingInput> inputs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            inputs.add(Fixtures.labelled(i, texts.get(i)));
        }
        return inputs;
    }

    private static List<byte[][]> texts(List<TextEvent> texts) {
        List<byte[][]> records = new ArrayList<>();
        for (TextEvent e : texts) {
            records.add(
                    new byte[][] {
                        e.getId().getBytes(StandardCharsets.UTF_8), TrainingJobIT.encode("t", e)
                    });
        }
        return records;
    }

    /**
     * Sends the (key, value) records, paced at {@code rate} per second (0: as fast as possible),
     * and returns per partition the (offset, append timestamp) of each.
     */
    private static Map<TopicPartition, List<long[]>> send(
            String bootstrap, String topic, List<byte[][]> records, int rate) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, rate == 0 ? "5" : "0");
        Map<TopicPartition, List<long[]>> appended = new HashMap<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < records.size(); i++) {
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                }
                sent.add(
                        producer.send(
                                new ProducerRecord<>(topic, records.get(i)[0], records.get(i)[1])));
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
        private final Map<Long, Integer> sizes = new ConcurrentHashMap<>();
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
                            sizes.put(v.getVersion(), r.serializedValueSize());
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

        /**
         * Examples/s while the job was busy: between the first and the last version published with
         * more than {@code from} and fewer than {@code to} examples (each publish is {@code
         * publishInterval} after the first fit following the one before, so the span holds training
         * only, neither start-up nor the wait for a last publish).
         */
        double steadyRate(long from, long to) {
            synchronized (received) {
                List<ModelVersion> busy =
                        received.stream()
                                .filter(v -> v.getExamplesSeen() > from && v.getExamplesSeen() < to)
                                .toList();
                if (busy.size() < 2) {
                    return Double.NaN;
                }
                ModelVersion a = busy.get(0);
                ModelVersion b = busy.get(busy.size() - 1);
                return (b.getExamplesSeen() - a.getExamplesSeen())
                        / ((b.getCreatedAt().toEpochMilli() - a.getCreatedAt().toEpochMilli())
                                / 1e3);
            }
        }

        /**
         * Versions published from {@code from} to {@code to} (epoch ms), and the bytes of all but
         * the first of them over the time from the first to the last: a rate that does not depend
         * on where the window cuts the publishing cycle.
         */
        record Traffic(int versions, int full, long deltaBytes, double bytesPerHour) {}

        Traffic traffic(long from, long to) {
            int count = 0;
            int full = 0;
            long afterFirst = 0;
            long deltaBytes = 0;
            long first = -1;
            long last = -1;
            synchronized (received) {
                for (ModelVersion v : received) {
                    long at = v.getCreatedAt().toEpochMilli();
                    if (at < from || at > to) {
                        continue;
                    }
                    int size = sizes.get(v.getVersion());
                    if (first < 0) {
                        first = at;
                    } else {
                        afterFirst += size;
                    }
                    last = at;
                    count++;
                    if (v.getDeltaOf() == null) {
                        full++;
                    } else {
                        deltaBytes += size;
                    }
                }
            }
            return new Traffic(count, full, deltaBytes, afterFirst * 3_600_000.0 / (last - first));
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
