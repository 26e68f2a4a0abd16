package dev.streamlearn.ops.bench;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.text.HashingTokenizer;
import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.ScorerConfig;
import dev.streamlearn.scorer.ScorerTopology;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.learning.Dl4jWeights;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Issue 5's speed figures, side by side in one run on one embedded broker (see BENCHMARKS.md):
 * scorer throughput against a pass-through Kafka Streams app ({@code mapValues(v -> v)}, same
 * topics, same config) and against scoring with DL4J {@code output()} per event; and the latency
 * the scorer adds at a steady 1,000 events/s over the broker's own produce-to-consume latency. A
 * harness, not a test: run it by hand (command in BENCHMARKS.md).
 *
 * <p>Arguments: the SpamAssassin file, then any of {@code --latency-only} (text latency only),
 * {@code --series-only} (the series table only) and {@code --set key=value} (a Kafka Streams
 * setting for every app in the run, e.g. {@code --set num.stream.threads=2}).
 */
public final class ScorerBench {
    private static final int TEXTS = 60_000;
    private static final int POINTS = 150_000;
    private static final int PACED = 20_000;

    /** DL4J's app is timed on fewer events: at ~1,000/s it would take a minute per run. */
    private static final int DL4J_TEXTS = 8_000;

    /**
     * Kafka Streams settings given as {@code --set key=value} arguments, applied to every app in
     * the run (e.g. {@code num.stream.threads=2}, {@code processing.guarantee=at_least_once}).
     */
    private static final Map<String, String> overrides = new HashMap<>();

    /**
     * The two settings that trade the scorer's latency for throughput: how often the exactly-once
     * transaction commits (scores become visible to read_committed readers then) and how long the
     * producer waits to fill a batch. {@code null} = {@link ScorerConfig}'s default.
     */
    private record Setting(Integer commitIntervalMs, Integer lingerMs) {
        static final Setting DEFAULTS = new Setting(null, null);
        static final Setting BEFORE = new Setting(100, 5); // the defaults before issue 5's tuning

        Properties apply(Properties config) {
            if (commitIntervalMs != null) {
                config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs.toString());
            }
            if (lingerMs != null) {
                config.put(
                        StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG),
                        lingerMs.toString());
            }
            return config;
        }

        String describe(Properties config) {
            return "commit.interval.ms="
                    + config.getProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100")
                    + ", linger.ms="
                    + config.getProperty(
                            StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5")
                    + (this == DEFAULTS ? " (ScorerConfig defaults)" : "");
        }
    }

    /** Whether the latency collectors keep consuming (they close cleanly when it turns false). */
    private static volatile boolean collecting;

    /** Text events written to text-events so far: a new scorer reads all of them first. */
    private static long textsInTopic;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("scorer-bench");
        boolean latencyOnly = Arrays.asList(args).contains("--latency-only");
        boolean seriesOnly = Arrays.asList(args).contains("--series-only");
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--set")) {
                String[] keyValue = args[i + 1].split("=", 2);
                overrides.put(keyValue[0], keyValue[1]);
            }
        }
        System.out.printf(
                "JVM %s, %d cores, OMP_NUM_THREADS=%s, Kafka Streams overrides %s%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                System.getenv("OMP_NUM_THREADS"),
                overrides);
        if (!seriesOnly) {
            text(
                    dir,
                    spamTexts(
                            Path.of(args.length > 0 ? args[0] : "datasets/spamassassin.jsonl.gz")),
                    latencyOnly);
        }
        if (latencyOnly) {
            System.exit(0);
        }
        series(dir);
        System.exit(0);
    }

    /** Text scoring's throughput table, then its latency table. */
    private static void text(Path dir, List<String> texts, boolean latencyOnly) throws Exception {
        ModelSpec textSpec =
                ModelSpec.defaults(TextClassifierFamily.INSTANCE)
                        .with(TextClassifierSpec.LABELS, "ham,spam");
        ModelWeights textWeights = randomWeights(textSpec, 1);
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.start(dir.resolve("text-broker"), 0)) {
            String bootstrap = prepare(broker, "bench-passthrough", "bench-dl4j");
            publish(bootstrap, version("text-classifier", textWeights));
            sendTexts(bootstrap, texts, TEXTS);
            textsInTopic = TEXTS;
            appendTimeStamps(bootstrap, "text-events", "text-scores");
            System.out.println(
                    "\n| app (text-events, "
                            + TEXTS
                            + " events, exactly-once) | events/s | CPU µs per event: whole JVM"
                            + " | app's threads |\n|---|---:|---:|---:|");
            for (int round = 1; round <= (latencyOnly ? 0 : 2); round++) {
                for (Setting setting : List.of(Setting.DEFAULTS, Setting.BEFORE)) {
                    String tag = setting == Setting.DEFAULTS ? "" : "-before";
                    String how = ", " + setting.describe(config(bootstrap, dir, "x", setting));
                    report(
                            "pass-through mapValues(v -> v), round " + round + how,
                            run(
                                    bootstrap,
                                    dir,
                                    "pt-text-" + round + tag,
                                    passThrough("text-events", "bench-passthrough"),
                                    TEXTS,
                                    setting));
                    report(
                            "scorer (models kernel), round " + round + how,
                            runScorer(
                                    bootstrap,
                                    dir,
                                    "scorer-text-" + round + tag,
                                    TEXTS,
                                    true,
                                    setting));
                    if (setting == Setting.DEFAULTS) {
                        report(
                                "DL4J output() per event, round " + round + how,
                                run(
                                        bootstrap,
                                        dir,
                                        "dl4j-text-" + round,
                                        dl4jText(textSpec, textWeights),
                                        DL4J_TEXTS,
                                        setting));
                    }
                }
            }
            latencyHeader();
            // 20 s each; the first also warms up the JIT, the broker and the collectors
            for (Setting setting :
                    List.of(
                            Setting.DEFAULTS,
                            Setting.BEFORE,
                            new Setting(100, 1),
                            Setting.DEFAULTS)) {
                latency(bootstrap, dir, texts, setting);
            }
        }
    }

    /** Series scoring's throughput table. */
    private static void series(Path dir) throws Exception {
        ModelWeights seriesWeights =
                randomWeights(ModelSpec.defaults(LstmForecasterFamily.INSTANCE), 2);
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.start(dir.resolve("series-broker"), 0)) {
            String bootstrap = prepare(broker, "bench-passthrough");
            publish(bootstrap, version("lstm-forecaster", seriesWeights));
            sendPoints(bootstrap, POINTS);
            System.out.println(
                    "\n| app (series-points, "
                            + POINTS
                            + " points, 4 series, exactly-once) | events/s | CPU µs per event:"
                            + " whole JVM | app's threads |\n|---|---:|---:|---:|");
            for (int round = 1; round <= 2; round++) {
                for (Setting setting : List.of(Setting.DEFAULTS, Setting.BEFORE)) {
                    String tag = setting == Setting.DEFAULTS ? "" : "-before";
                    String how = ", " + setting.describe(config(bootstrap, dir, "x", setting));
                    report(
                            "pass-through mapValues(v -> v), round " + round + how,
                            run(
                                    bootstrap,
                                    dir,
                                    "pt-series-" + round + tag,
                                    passThrough("series-points", "bench-passthrough"),
                                    POINTS,
                                    setting));
                    report(
                            "scorer (models kernel, W=32, H=32), round " + round + how,
                            runScorer(
                                    bootstrap,
                                    dir,
                                    "scorer-series-" + round + tag,
                                    POINTS,
                                    false,
                                    setting));
                }
            }
        }
    }

    /**
     * An app's rate and the CPU time it took per event: all of the JVM's (the broker's included,
     * which serves its reads and writes) and its own threads' (stream, producer and consumer
     * threads, whose names carry the application id). CPU per event depends much less than the rate
     * on what else the box runs at the time.
     */
    private record Measured(double perSecond, double jvmCpuMicros, double appCpuMicros) {}

    private static void report(String what, Measured measured) {
        System.out.printf(
                "| %s | %,.0f | %.1f | %.1f |%n",
                what, measured.perSecond(), measured.jvmCpuMicros(), measured.appCpuMicros());
    }

    /** Throughput from the first to the last of {@code count} records the app handles. */
    private static Measured run(
            String bootstrap, Path dir, String appId, AppBuilder app, long count, Setting setting)
            throws Exception {
        LongAdder handled = new LongAdder();
        Properties config = config(bootstrap, dir, appId, setting);
        try (KafkaStreams streams = new KafkaStreams(app.build(handled), config)) {
            streams.start();
            return measure(handled::sum, count, appId);
        }
    }

    private static Measured runScorer(
            String bootstrap, Path dir, String appId, long count, boolean text, Setting setting)
            throws Exception {
        ScorerMetrics metrics = new ScorerMetrics();
        Topology topology = ScorerTopology.build(ScorerOptions.defaults(), (k, v) -> {}, metrics);
        try (KafkaStreams streams =
                new KafkaStreams(topology, config(bootstrap, dir, appId, setting))) {
            streams.start();
            return measure(
                    () -> text ? metrics.textScored.sum() : metrics.seriesScored.sum(),
                    count,
                    appId);
        }
    }

    private static Measured measure(Supplier<Long> handled, long count, String appId)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (handled.get() == 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        long firstNanos = System.nanoTime();
        long firstCount = handled.get();
        long jvmCpuStart = jvmCpuNanos();
        Map<Long, Long> appCpuStart = threadCpuNanos(appId);
        while (handled.get() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        double events = handled.get() - firstCount;
        long appCpu = 0;
        for (Map.Entry<Long, Long> now : threadCpuNanos(appId).entrySet()) {
            appCpu += now.getValue() - appCpuStart.getOrDefault(now.getKey(), 0L);
        }
        return new Measured(
                events / ((System.nanoTime() - firstNanos) / 1e9),
                (jvmCpuNanos() - jvmCpuStart) / 1e3 / events,
                appCpu / 1e3 / events);
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time so far of each live thread whose name holds {@code appId}, by thread id. */
    private static Map<Long, Long> threadCpuNanos(String appId) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(appId + "-")) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                }
            }
        }
        return cpu;
    }

    private static void latencyHeader() {
        System.out.printf(
                "%n| latency at 1,000 events/s, %,d events, p50 / p99 ms | broker produce -> consume"
                        + " | event append -> score append | added (issue 5): score append -"
                        + " broker | event produce -> score read (read_committed) | added: score"
                        + " read - broker | cores busy while paced | GC pauses while paced | scorer"
                        + " commit avg / max ms |%n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|%n",
                PACED);
    }

    /**
     * Scorer latency at a steady 1,000 events/s, next to the broker's own produce-to-consume
     * latency for the same events in the same seconds. Two consumers take the clocks: one reads
     * text-events (each event's append time, and how long after its send it arrived: the broker's
     * own produce-to-consume latency), one reads text-scores read_committed (each score's append
     * time, and the moment it became readable, when the scorer's transaction committed). Both
     * topics carry LogAppendTime here. Two consumers and one record per event, so that the
     * measuring adds as little as it can to the broker it measures: on two cores, the JVM (broker,
     * scorer, producer, consumers) is 1.6-2 cores busy at 1,000 events/s.
     */
    private static void latency(String bootstrap, Path dir, List<String> texts, Setting setting)
            throws Exception {
        ScorerMetrics metrics = new ScorerMetrics();
        Topology topology = ScorerTopology.build(ScorerOptions.defaults(), (k, v) -> {}, metrics);
        String appId =
                "scorer-latency-"
                        + setting.commitIntervalMs()
                        + "-"
                        + setting.lingerMs()
                        + "-"
                        + textsInTopic;
        Properties config = config(bootstrap, dir, appId, setting);
        String prefix = "lat-" + appId + "-";
        long[] sentAt = new long[PACED];
        long[] eventAppend = new long[PACED];
        long[] eventRead = new long[PACED];
        long[] scoreAppend = new long[PACED];
        long[] scoreRead = new long[PACED];
        double coresBusy;
        String gcPauses;
        String commitLatency;
        try (KafkaStreams streams = new KafkaStreams(topology, config);
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(
                                Map.of(
                                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                        bootstrap,
                                        ProducerConfig.ACKS_CONFIG,
                                        "all",
                                        ProducerConfig.LINGER_MS_CONFIG,
                                        0),
                                new ByteArraySerializer(),
                                new ByteArraySerializer())) {
            streams.start();
            while (metrics.textScored.sum() < textsInTopic) { // catch up with the backlog first
                TimeUnit.MILLISECONDS.sleep(50);
            }
            collecting = true;
            List<Thread> collectors =
                    List.of(
                            collect(
                                    bootstrap,
                                    "text-events",
                                    false,
                                    prefix,
                                    eventAppend,
                                    eventRead),
                            collect(
                                    bootstrap,
                                    "text-scores",
                                    true,
                                    prefix,
                                    scoreAppend,
                                    scoreRead));
            TimeUnit.SECONDS.sleep(3);
            long start = System.nanoTime();
            long cpuStart = jvmCpuNanos();
            long[] gcStart = gcCountAndMillis();
            for (int i = 0; i < PACED; i++) {
                // Sleep, not spin: a spinning producer would take one of the two cores.
                LockSupport.parkNanos(start + i * 1_000_000L - System.nanoTime()); // 1,000/s
                long now = System.currentTimeMillis();
                TextEvent event =
                        new TextEvent(
                                prefix + i,
                                Instant.ofEpochMilli(now),
                                texts.get(i % texts.size()),
                                null);
                byte[] value =
                        Topics.TEXT_EVENTS
                                .valueSerde()
                                .serializer()
                                .serialize("text-events", event);
                sentAt[i] = now;
                producer.send(
                        new ProducerRecord<>(
                                "text-events",
                                null,
                                now,
                                event.getId().getBytes(StandardCharsets.UTF_8),
                                value));
            }
            coresBusy = (jvmCpuNanos() - cpuStart) / (double) (System.nanoTime() - start);
            long[] gcEnd = gcCountAndMillis();
            gcPauses = (gcEnd[0] - gcStart[0]) + ", " + (gcEnd[1] - gcStart[1]) + " ms";
            textsInTopic += PACED;
            TimeUnit.SECONDS.sleep(5);
            collecting = false;
            for (Thread collector : collectors) {
                collector.join();
            }
            commitLatency =
                    threadMetric(streams, "commit-latency-avg")
                            + " / "
                            + threadMetric(streams, "commit-latency-max");
        }
        List<Long> broker = new ArrayList<>();
        List<Long> appendToAppend = new ArrayList<>();
        List<Long> produceToRead = new ArrayList<>();
        for (int i = 0; i < PACED; i++) {
            if (eventRead[i] > 0) {
                broker.add(eventRead[i] - sentAt[i]);
            }
            if (eventAppend[i] > 0 && scoreAppend[i] > 0) {
                appendToAppend.add(scoreAppend[i] - eventAppend[i]);
            }
            if (scoreRead[i] > 0) {
                produceToRead.add(scoreRead[i] - sentAt[i]);
            }
        }
        System.out.printf(
                "| %s | %d / %d | %d / %d | %d / %d | %d / %d | %d / %d | %.2f | %s | %s |%n",
                setting.describe(config),
                pct(broker, 50),
                pct(broker, 99),
                pct(appendToAppend, 50),
                pct(appendToAppend, 99),
                pct(appendToAppend, 50) - pct(broker, 50),
                pct(appendToAppend, 99) - pct(broker, 99),
                pct(produceToRead, 50),
                pct(produceToRead, 99),
                pct(produceToRead, 50) - pct(broker, 50),
                pct(produceToRead, 99) - pct(broker, 99),
                coresBusy,
                gcPauses,
                commitLatency);
        if (broker.size() < PACED
                || appendToAppend.size() < PACED
                || produceToRead.size() < PACED) {
            System.out.printf(
                    "  (matched %d events read, %d appends and %d scores read of %d events)%n",
                    broker.size(), appendToAppend.size(), produceToRead.size(), PACED);
        }
    }

    /** Collections so far and the milliseconds they took, over all of this JVM's collectors. */
    private static long[] gcCountAndMillis() {
        long count = 0;
        long millis = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += gc.getCollectionCount();
            millis += gc.getCollectionTime();
        }
        return new long[] {count, millis};
    }

    /** A stream-thread metric of the app, rounded to whole milliseconds. */
    private static String threadMetric(KafkaStreams streams, String name) {
        return streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-thread-metrics"))
                .filter(e -> e.getKey().name().equals(name))
                .map(e -> String.format("%.0f", (Double) e.getValue().metricValue()))
                .findFirst()
                .orElse("?");
    }

    /**
     * Per paced event ({@code prefix + i} keys) of {@code topic}: its record's timestamp (the
     * topic's LogAppendTime) and the wall-clock moment it was received.
     */
    private static Thread collect(
            String bootstrap,
            String topic,
            boolean readCommitted,
            String prefix,
            long[] appendTimes,
            long[] readTimes) {
        String group = "bench-" + prefix + topic;
        Thread thread =
                new Thread(
                        () -> {
                            try (KafkaConsumer<byte[], byte[]> consumer =
                                    new KafkaConsumer<>(
                                            Map.of(
                                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                                    bootstrap,
                                                    ConsumerConfig.GROUP_ID_CONFIG,
                                                    group,
                                                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                                    "latest",
                                                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                                    readCommitted
                                                            ? "read_committed"
                                                            : "read_uncommitted"),
                                            new ByteArrayDeserializer(),
                                            new ByteArrayDeserializer())) {
                                consumer.subscribe(List.of(topic));
                                while (collecting) {
                                    // poll returns as soon as records arrive; the timeout only
                                    // bounds idling
                                    for (ConsumerRecord<byte[], byte[]> r :
                                            consumer.poll(Duration.ofMillis(100))) {
                                        long received = System.currentTimeMillis();
                                        String key =
                                                r.key() == null
                                                        ? ""
                                                        : new String(
                                                                r.key(), StandardCharsets.UTF_8);
                                        if (key.startsWith(prefix)) {
                                            int i =
                                                    Integer.parseInt(
                                                            key.substring(prefix.length()));
                                            appendTimes[i] = r.timestamp();
                                            readTimes[i] = received;
                                        }
                                    }
                                }
                            }
                        });
        thread.start();
        return thread;
    }

    private static long pct(List<Long> values, int percentile) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length == 0
                ? -1
                : sorted[
                        Math.min(
                                sorted.length - 1,
                                (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }

    @FunctionalInterface
    private interface AppBuilder {
        Topology build(LongAdder handled);
    }

    private static AppBuilder passThrough(String from, String to) {
        return handled -> {
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream(from, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                    .mapValues(
                            v -> {
                                handled.increment();
                                return v;
                            })
                    .to(to, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
            return builder.build();
        };
    }

    /** The way published Kafka Streams + DL4J examples score: net.output() on each event. */
    private static AppBuilder dl4jText(ModelSpec spec, ModelWeights weights) {
        return handled -> {
            MultiLayerNetwork net = TrainingFamilies.network(spec);
            Dl4jWeights.load(weights, net);
            HashingTokenizer tokenizer = new HashingTokenizer(spec);
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream("text-events", Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                    .mapValues(
                            bytes -> {
                                TextEvent event =
                                        Topics.TEXT_EVENTS
                                                .valueSerde()
                                                .deserializer()
                                                .deserialize("text-events", bytes);
                                TokenizedText tokens = tokenizer.tokenize(event.getText());
                                float[] ids = new float[tokens.length()];
                                for (int i = 0; i < ids.length; i++) {
                                    ids[i] = tokens.ids()[i];
                                }
                                INDArray out =
                                        net.output(
                                                Nd4j.create(ids, new long[] {1, ids.length}, 'c'),
                                                false,
                                                Nd4j.ones(1, ids.length),
                                                null);
                                handled.increment();
                                return Arrays.toString(out.toFloatVector())
                                        .getBytes(StandardCharsets.UTF_8);
                            })
                    .to("bench-dl4j", Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
            return builder.build();
        };
    }

    private static Properties config(String bootstrap, Path dir, String appId, Setting setting) {
        Properties config = ScorerConfig.load(null, bootstrap, dir.resolve("state-" + appId));
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        overrides.forEach(config::put);
        return setting.apply(config);
    }

    private static String prepare(EmbeddedKafkaBroker broker, String... extraTopics)
            throws Exception {
        try (Admin admin = KafkaAdmin.connect(broker.bootstrapServers())) {
            new TopicInstaller(admin).install(Topics.all());
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : extraTopics) {
                topics.add(new NewTopic(topic, 4, (short) 1));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
        return broker.bootstrapServers();
    }

    /** Records of these topics carry the broker's append time instead of the producer's. */
    private static void appendTimeStamps(String bootstrap, String... topics) throws Exception {
        try (Admin admin = KafkaAdmin.connect(bootstrap)) {
            Map<ConfigResource, java.util.Collection<AlterConfigOp>> changes = new HashMap<>();
            for (String topic : topics) {
                changes.put(
                        new ConfigResource(ConfigResource.Type.TOPIC, topic),
                        List.of(
                                new AlterConfigOp(
                                        new ConfigEntry("message.timestamp.type", "LogAppendTime"),
                                        AlterConfigOp.OpType.SET)));
            }
            admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static ModelWeights randomWeights(ModelSpec spec, long seed) {
        float[] params = new float[ParameterLayout.of(spec).size()];
        Random random = new Random(seed);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.05);
        }
        return new ModelWeights(spec, params);
    }

    private static ModelVersion version(String model, ModelWeights weights) {
        return VersionContract.build(
                weights, new Provenance(model, 1, 0, 0, Map.of(), List.of(), Instant.now()));
    }

    private static void publish(String bootstrap, ModelVersion version) throws Exception {
        try (KafkaProducer<String, ModelVersion> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                Topics.MODEL_VERSION_MAX_BYTES),
                        Topics.MODEL_VERSIONS.keySerde().serializer(),
                        Topics.MODEL_VERSIONS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>("model-versions", version.getModel(), version))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static void sendTexts(String bootstrap, List<String> texts, int count) {
        try (KafkaProducer<String, TextEvent> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.LINGER_MS_CONFIG,
                                5),
                        Topics.TEXT_EVENTS.keySerde().serializer(),
                        Topics.TEXT_EVENTS.valueSerde().serializer())) {
            for (int i = 0; i < count; i++) {
                TextEvent event =
                        new TextEvent(
                                "bench-" + i, Instant.now(), texts.get(i % texts.size()), null);
                producer.send(new ProducerRecord<>("text-events", event.getId(), event));
            }
        }
    }

    private static void sendPoints(String bootstrap, int count) {
        try (KafkaProducer<String, SeriesPoint> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.LINGER_MS_CONFIG,
                                5),
                        Topics.SERIES_POINTS.keySerde().serializer(),
                        Topics.SERIES_POINTS.valueSerde().serializer())) {
            Random random = new Random(3);
            for (int i = 0; i < count; i++) {
                String series = "mote-" + (i % 4);
                double value = 20 + (i % 4) + Math.sin(i / 400.0) + 0.05 * random.nextGaussian();
                producer.send(
                        new ProducerRecord<>(
                                "series-points",
                                series,
                                new SeriesPoint(series, Instant.now(), value)));
            }
        }
    }

    private static List<String> spamTexts(Path file) throws Exception {
        List<String> texts = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(Files.newInputStream(file)),
                                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int at = line.indexOf("\"text\": \"");
                texts.add(
                        at < 0
                                ? line
                                : line.substring(at + 9, Math.min(line.length(), at + 9 + 2000)));
            }
        }
        return texts;
    }
}
