package dev.streamlearn.ops.bench;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.features.HashingTokenizer;
import dev.streamlearn.models.features.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.kernel.ParameterLayout;
import dev.streamlearn.models.spec.ModelKind;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.TextClassifierSpec;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.ScorerConfig;
import dev.streamlearn.scorer.ScorerMetrics;
import dev.streamlearn.scorer.ScorerOptions;
import dev.streamlearn.scorer.ScorerTopology;
import dev.streamlearn.trainer.learning.Dl4jWeights;
import dev.streamlearn.trainer.learning.NetworkFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 */
public final class ScorerBench {
    private static final int TEXTS = 30_000;
    private static final int POINTS = 30_000;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("scorer-bench");
        System.out.printf(
                "JVM %s, %d cores, OMP_NUM_THREADS=%s%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                System.getenv("OMP_NUM_THREADS"));
        List<String> texts =
                spamTexts(Path.of(args.length > 0 ? args[0] : "datasets/spamassassin.jsonl.gz"));
        ModelSpec textSpec =
                ModelSpec.defaults(ModelKind.TEXT_CLASSIFIER)
                        .with(TextClassifierSpec.LABELS, "ham,spam");
        ModelWeights textWeights = randomWeights(textSpec, 1);
        ModelWeights seriesWeights =
                randomWeights(ModelSpec.defaults(ModelKind.LSTM_FORECASTER), 2);

        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.start(dir.resolve("text-broker"), 0)) {
            String bootstrap = prepare(broker, "bench-passthrough", "bench-dl4j");
            publish(bootstrap, version("text-classifier", textWeights));
            sendTexts(bootstrap, texts, TEXTS);
            System.out.println(
                    "\n| app (text-events, "
                            + TEXTS
                            + " events, exactly-once) | events/s |\n|---|---:|");
            for (int round = 1; round <= 2; round++) {
                report(
                        "pass-through mapValues(v -> v), round " + round,
                        run(
                                bootstrap,
                                dir,
                                "pt-text-" + round,
                                passThrough("text-events", "bench-passthrough"),
                                TEXTS));
                report(
                        "scorer (models kernel), round " + round,
                        runScorer(bootstrap, dir, "scorer-text-" + round, TEXTS, true));
                report(
                        "DL4J output() per event, round " + round,
                        run(
                                bootstrap,
                                dir,
                                "dl4j-text-" + round,
                                dl4jText(textSpec, textWeights),
                                TEXTS));
            }
            latency(bootstrap, dir, texts);
        }
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.start(dir.resolve("series-broker"), 0)) {
            String bootstrap = prepare(broker, "bench-passthrough");
            publish(bootstrap, version("lstm-forecaster", seriesWeights));
            sendPoints(bootstrap, POINTS);
            System.out.println(
                    "\n| app (series-points, "
                            + POINTS
                            + " points, 4 series, exactly-once) | events/s |\n|---|---:|");
            for (int round = 1; round <= 2; round++) {
                report(
                        "pass-through mapValues(v -> v), round " + round,
                        run(
                                bootstrap,
                                dir,
                                "pt-series-" + round,
                                passThrough("series-points", "bench-passthrough"),
                                POINTS));
                report(
                        "scorer (models kernel, W=32, H=32), round " + round,
                        runScorer(bootstrap, dir, "scorer-series-" + round, POINTS, false));
            }
        }
        System.exit(0);
    }

    private static void report(String what, double perSecond) {
        System.out.printf("| %s | %,.0f |%n", what, perSecond);
    }

    /** Throughput from the first to the last of {@code count} records the app handles. */
    private static double run(String bootstrap, Path dir, String appId, AppBuilder app, long count)
            throws Exception {
        LongAdder handled = new LongAdder();
        Properties config = config(bootstrap, dir, appId);
        try (KafkaStreams streams = new KafkaStreams(app.build(handled), config)) {
            streams.start();
            return measure(handled::sum, count);
        }
    }

    private static double runScorer(
            String bootstrap, Path dir, String appId, long count, boolean text) throws Exception {
        ScorerMetrics metrics = new ScorerMetrics();
        Topology topology = ScorerTopology.build(ScorerOptions.defaults(), (k, v) -> {}, metrics);
        try (KafkaStreams streams = new KafkaStreams(topology, config(bootstrap, dir, appId))) {
            streams.start();
            return measure(
                    () -> text ? metrics.textScored.sum() : metrics.seriesScored.sum(), count);
        }
    }

    private static double measure(Supplier<Long> handled, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (handled.get() == 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        long firstNanos = System.nanoTime();
        long firstCount = handled.get();
        while (handled.get() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return (handled.get() - firstCount) / ((System.nanoTime() - firstNanos) / 1e9);
    }

    /**
     * Scorer latency at a steady 1,000 events/s, next to the broker's own latency in the same run.
     */
    private static void latency(String bootstrap, Path dir, List<String> texts) throws Exception {
        ScorerMetrics metrics = new ScorerMetrics();
        Topology topology = ScorerTopology.build(ScorerOptions.defaults(), (k, v) -> {}, metrics);
        try (KafkaStreams streams =
                        new KafkaStreams(topology, config(bootstrap, dir, "scorer-latency"));
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
            while (metrics.textScored.sum() < TEXTS) { // let it catch up with the backlog first
                TimeUnit.MILLISECONDS.sleep(50);
            }
            List<Long> scoreLatency = new ArrayList<>();
            List<Long> brokerLatency = new ArrayList<>();
            Thread scores = collectLatencies(bootstrap, "text-scores", scoreLatency);
            Thread echo = collectLatencies(bootstrap, "bench-dl4j", brokerLatency);
            TimeUnit.SECONDS.sleep(3);
            int events = 20_000;
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                long due = start + i * 1_000_000L; // 1,000 events/s
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                long now = System.currentTimeMillis();
                TextEvent event =
                        new TextEvent(
                                "lat-" + i,
                                Instant.ofEpochMilli(now),
                                texts.get(i % texts.size()),
                                null);
                byte[] value =
                        Topics.TEXT_EVENTS
                                .valueSerde()
                                .serializer()
                                .serialize("text-events", event);
                producer.send(
                        new ProducerRecord<>(
                                "text-events",
                                null,
                                now,
                                event.getId().getBytes(StandardCharsets.UTF_8),
                                value));
                producer.send(new ProducerRecord<>("bench-dl4j", null, now, null, value));
            }
            TimeUnit.SECONDS.sleep(5);
            scores.interrupt();
            echo.interrupt();
            scores.join();
            echo.join();
            System.out.printf(
                    "%n| latency at 1,000 events/s, read_committed, %d events | p50 ms | p99 ms |%n|---|---:|---:|%n",
                    events);
            System.out.printf(
                    "| broker produce -> consume | %d | %d |%n",
                    pct(brokerLatency, 50), pct(brokerLatency, 99));
            System.out.printf(
                    "| event append -> score consumed (scorer, commit.interval.ms=%s) | %d | %d |%n",
                    config(bootstrap, dir, "x")
                            .getProperty(
                                    StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100 (EOS default)"),
                    pct(scoreLatency, 50),
                    pct(scoreLatency, 99));
            System.out.printf(
                    "| added by the scorer | %d | %d |%n",
                    pct(scoreLatency, 50) - pct(brokerLatency, 50),
                    pct(scoreLatency, 99) - pct(brokerLatency, 99));
        }
    }

    private static Thread collectLatencies(String bootstrap, String topic, List<Long> latencies) {
        Thread thread =
                new Thread(
                        () -> {
                            try (KafkaConsumer<byte[], byte[]> consumer =
                                    new KafkaConsumer<>(
                                            Map.of(
                                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                                    bootstrap,
                                                    ConsumerConfig.GROUP_ID_CONFIG,
                                                    "bench-latency-" + topic,
                                                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                                    "latest",
                                                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                                    "read_committed",
                                                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                                                    1),
                                            new ByteArrayDeserializer(),
                                            new ByteArrayDeserializer())) {
                                consumer.subscribe(List.of(topic));
                                while (!Thread.currentThread().isInterrupted()) {
                                    for (ConsumerRecord<byte[], byte[]> r :
                                            consumer.poll(Duration.ofMillis(5))) {
                                        // Only the paced events: scores of the backlog carry older
                                        // timestamps.
                                        if (r.key() == null
                                                || new String(r.key(), StandardCharsets.UTF_8)
                                                        .startsWith("lat-")) {
                                            latencies.add(
                                                    System.currentTimeMillis() - r.timestamp());
                                        }
                                    }
                                }
                            } catch (org.apache.kafka.common.errors.InterruptException stopped) {
                                // done
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
            MultiLayerNetwork net = NetworkFactory.build(spec);
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

    private static Properties config(String bootstrap, Path dir, String appId) {
        Properties config = ScorerConfig.load(null, bootstrap, dir.resolve("state-" + appId));
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        return config;
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

    private static ModelWeights randomWeights(ModelSpec spec, long seed) {
        float[] params = new float[ParameterLayout.of(spec).size()];
        Random random = new Random(seed);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.05);
        }
        return new ModelWeights(spec, params);
    }

    private static ModelVersion version(String model, ModelWeights weights) {
        return ModelVersion.newBuilder()
                .setModel(model)
                .setKind(weights.spec().kind().id())
                .setVersion(1)
                .setParentVersion(null)
                .setSpec(weights.spec().toMap())
                .setWeights(ByteBuffer.wrap(WeightsCodec.encode(weights)))
                .setWeightsSha256(WeightsCodec.sha256Hex(weights.params()))
                .setExamplesSeen(0)
                .setMetrics(Map.of())
                .setSourceOffsets(List.of())
                .setCreatedAt(Instant.now())
                .build();
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
