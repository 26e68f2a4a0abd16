package dev.streamlearn.ops.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamlearn.ops.process.CommittedRecords;
import dev.streamlearn.ops.process.StreamlearnProcess;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.SeriesScore;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash suite (issue 18): the pipeline's parts as separate processes of {@code
 * ops/target/streamlearn.jar} — broker, trainer, two scorers, normalizer and a file ingest — under
 * a paced stream of both kinds (labelled mails through {@code ingest}, series points as JSON from a
 * client through the normalizer, some of each unusable), while each part is killed with {@code kill
 * -9} five times at random moments and started again with the same command. Afterwards, read
 * read_committed: every event scored exactly once, every unusable record dead-lettered once, model
 * versions gap-free and monotone, examples trained = labelled events sent, every restarted scorer
 * scoring again within 40 s of its start (below a dead member's 45 s session: none waited one out),
 * and no part that had to be restarted by hand after a broker restart. How soon they score again
 * (the issue's goal: 10 s) depends on the machine's load, so it is measured and reported
 * (BENCHMARKS.md, "Crash suite"), not asserted.
 *
 * <p>The kills and pauses come from one seed, printed at the start: {@code -Dcrash.seed=N} replays
 * a run's schedule. The measurements (time without scores per crash, scorer recovery) are printed
 * at the end and written to {@code target/crash-suite.txt}.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class CrashSuiteIT {
    private static final long DEFAULT_SEED = 18;
    private static final int KILLS_PER_PART = Integer.getInteger("crash.kills", 5);

    /** Below a dead member's session (45 s by default): no restart waited for one. */
    private static final Duration SCORER_RECOVERY_AT_MOST = Duration.ofSeconds(40);

    private static final Path SPAM = Path.of("..", "datasets", "spamassassin.jsonl.gz");
    private static final double TEXTS_PER_SECOND = 10;
    private static final double POINTS_PER_SECOND = 10;
    private static final int SERIES = 16;
    private static final int BAD_ROW_EVERY = 97;

    /** More rows than the crashes take to send, at the rate: ingest is stopped with Ctrl-C. */
    private static final int MAIL_ROWS = 12_000;

    private static final int BAD_JSON_EVERY = 50;
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration DRAIN = Duration.ofMinutes(3);
    private static final List<String> SMALL_JVM = List.of("-Xmx320m");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path dir;

    /** One kill -9 and what it cost. */
    private record Crash(
            int number,
            String part,
            long killedNanos,
            Duration downFor,
            Duration readyAfter,
            Duration scoringAfter,
            Duration withoutScores) {}

    @Test
    void everyPartKilledFiveTimesLosesNothingAndScoresEveryEventOnce() throws Exception {
        long seed = Long.getLong("crash.seed", DEFAULT_SEED);
        System.out.printf(
                "CrashSuiteIT: seed %d (replay with -Dcrash.seed=%d), %d kills per part%n",
                seed, seed, KILLS_PER_PART);
        Random random = new Random(seed);
        String bootstrap = "127.0.0.1:" + freePort();
        MailFile mails = MailFile.write(SPAM, dir.resolve("mails.jsonl"), MAIL_ROWS, BAD_ROW_EVERY);
        Map<String, Part> parts = parts(bootstrap, mails.path());
        long t0 = System.nanoTime();
        List<Crash> crashes = new ArrayList<>();
        try {
            // Given the broker, the trainer's key, then every other part, each its own process
            Part broker = parts.get("broker");
            broker.start();
            createKeys();
            broker.awaitReady();
            for (String name : List.of("trainer", "scorer-1", "scorer-2", "normalizer")) {
                parts.get(name).start();
            }
            for (String name : List.of("trainer", "scorer-1", "scorer-2", "normalizer")) {
                parts.get(name).awaitReady();
            }
            phase(t0, "broker, trainer, scorers and normalizer up");

            // and a paced stream of both kinds
            try (ScoreArrivals arrivals =
                            new ScoreArrivals(
                                    bootstrap, List.of(Topics.TEXT_SCORES, Topics.SERIES_SCORES));
                    SeriesFeed series =
                            new SeriesFeed(bootstrap, SERIES, POINTS_PER_SECOND, BAD_JSON_EVERY)) {
                series.start();
                parts.get("ingest").start();
                parts.get("ingest").awaitReady();
                await("the first scores of both kinds")
                        .atMost(START)
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> arrivals.count() > 0 && bothModelsPublished(bootstrap));
                phase(t0, "both models published and scoring");

                // When every part is killed five times at random moments and started again
                List<String> schedule = new ArrayList<>();
                for (String name : parts.keySet()) {
                    for (int i = 0; i < KILLS_PER_PART; i++) {
                        schedule.add(name);
                    }
                }
                Collections.shuffle(schedule, random);
                for (int i = 0; i < schedule.size(); i++) {
                    Thread.sleep(2_000 + random.nextInt(5_000)); // a random moment
                    assertAllAlive(parts, "before crash " + (i + 1));
                    crashes.add(crash(i + 1, parts.get(schedule.get(i)), random));
                }
                long endOfCrashes = System.nanoTime();
                phase(t0, crashes.size() + " crashes survived");

                // and the stream ends: the client stops, ingest is stopped with Ctrl-C
                Thread.sleep(5_000); // the last crash's stall, measured up to here
                series.close();
                // 143: the JVM's status after SIGTERM, once its shutdown hook has committed
                assertThat(parts.get("ingest").process().stop(Duration.ofSeconds(60)))
                        .as("ingest's exit code after Ctrl-C")
                        .isIn(0, 143);
                assertAllAlive(parts, "after the stream", "ingest");
                List<Crash> measured = withStalls(crashes, arrivals, endOfCrashes);

                // Then, read_committed, every event was scored once and every bad one
                // dead-lettered once
                long rowsDone = committedRows(bootstrap, mails.path());
                List<String> textIds = mails.goodIds(rowsDone);
                Set<Integer> badLines = mails.badLines(rowsDone);
                checkTexts(bootstrap, textIds);
                checkSeries(bootstrap, series.points());
                checkDeadLetters(bootstrap, badLines, series.bad(), mails.path());
                phase(t0, "every event scored exactly once");
                // and versions are gap-free and monotone, and every labelled text was trained on
                checkVersions(bootstrap, textIds.size());
                phase(t0, "versions checked");
                // and no restarted scorer waited out a dead member's session before scoring again
                // (how soon each did is in the report: a timing, not a pass/fail of this test)
                report(seed, measured, t0);
                List<Duration> recoveries =
                        measured.stream()
                                .map(Crash::scoringAfter)
                                .filter(d -> d != null)
                                .sorted()
                                .toList();
                assertThat(recoveries.get(recoveries.size() - 1))
                        .as("longest time from a scorer's start to its first score")
                        .isLessThanOrEqualTo(SCORER_RECOVERY_AT_MOST);
            }
        } finally {
            for (Part part : parts.values()) {
                part.close();
            }
        }
    }

    /**
     * The parts, each with the command an operator would run (and run again after a crash), in the
     * order of the schedule's draw.
     */
    private Map<String, Part> parts(String bootstrap, Path mails) {
        String keys = dir.resolve("trusted").toString();
        Map<String, Part> parts = new LinkedHashMap<>();
        parts.put(
                "broker",
                new Part(
                        "broker",
                        List.of("-Xmx512m"),
                        "Kafka broker ready at",
                        START,
                        "broker",
                        "--port",
                        bootstrap.substring(bootstrap.indexOf(':') + 1),
                        "--data-dir",
                        dir.resolve("broker").toString()));
        parts.put(
                "trainer",
                new Part(
                        "trainer",
                        List.of("-Xmx1g"),
                        "Training [",
                        START,
                        "train",
                        "--bootstrap",
                        bootstrap,
                        "--checkpoint-dir",
                        dir.resolve("checkpoints").toString(),
                        "--signing-key",
                        dir.resolve("keys").resolve("signing.key").toString(),
                        // A restarted scorer reads and checks every version on model-versions
                        // before it scores (BENCHMARKS.md, "Crash suite"): a version every 15 s
                        // keeps the suite's restarts comparable from its first minute to its last.
                        "--publish-every",
                        "1000",
                        "--publish-interval-ms",
                        "15000",
                        "--metrics-port",
                        "-1"));
        for (String scorer : List.of("scorer-1", "scorer-2")) {
            parts.put(
                    scorer,
                    new Part(
                            scorer,
                            SMALL_JVM,
                            "Scorer running against",
                            START,
                            "score",
                            "--bootstrap",
                            bootstrap,
                            "--state-dir",
                            dir.resolve(scorer).toString(),
                            "--instance-id",
                            scorer,
                            "--trusted-keys",
                            keys,
                            "--metrics-port",
                            "0"));
        }
        parts.put(
                "normalizer",
                new Part(
                        "normalizer",
                        SMALL_JVM,
                        "Normalizer running against",
                        START,
                        "normalize",
                        "--bootstrap",
                        bootstrap,
                        "--state-dir",
                        dir.resolve("normalizer").toString(),
                        "--instance-id",
                        "normalizer-1",
                        "--metrics-port",
                        "-1"));
        parts.put(
                "ingest",
                new Part(
                        "ingest",
                        SMALL_JVM,
                        "metrics at",
                        START,
                        "ingest",
                        "text",
                        "--file",
                        mails.toString(),
                        "--id-field",
                        "id",
                        "--text-field",
                        "subject,text",
                        "--label-field",
                        "label",
                        "--rate",
                        Double.toString(TEXTS_PER_SECOND),
                        "--bootstrap",
                        bootstrap,
                        "--metrics-port",
                        "0"));
        return parts;
    }

    private void createKeys() throws Exception {
        try (StreamlearnProcess keys =
                StreamlearnProcess.start(
                        SMALL_JVM,
                        "keys",
                        "create",
                        "--dir",
                        dir.resolve("keys").toString(),
                        "--public-dir",
                        dir.resolve("trusted").toString())) {
            assertThat(keys.awaitExit(START)).as(keys.stderr()).isZero();
        }
    }

    /**
     * Kills {@code part}, waits a moment as an operator would, starts it again with the same
     * command and waits until it works; for a scorer, until it has scored again.
     */
    private static Crash crash(int number, Part part, Random random) throws Exception {
        long killed = System.nanoTime();
        part.kill();
        Thread.sleep(500 + random.nextInt(1_500));
        part.start();
        long restarted = System.nanoTime();
        part.awaitReady();
        long ready = System.nanoTime();
        Duration scoring = null;
        if (part.name().startsWith("scorer")) {
            scoring = Duration.ofNanos(firstScore(part) - part.startedNanos());
        }
        System.out.printf(
                "CrashSuiteIT: crash %d, %s: down %.1f s, ready %.1f s after its start%s%n",
                number,
                part.name(),
                (restarted - killed) / 1e9,
                (ready - restarted) / 1e9,
                scoring == null
                        ? ""
                        : String.format(", scoring %.1f s after", scoring.toMillis() / 1e3));
        return new Crash(
                number,
                part.name(),
                killed,
                Duration.ofNanos(restarted - killed),
                Duration.ofNanos(ready - restarted),
                scoring,
                null);
    }

    /** When the scorer's own counters first showed a score, polled every 100 ms. */
    private static long firstScore(Part scorer) {
        String url = url(scorer.readyLine());
        long[] at = new long[1];
        await(scorer.name() + " scoring again")
                .atMost(Duration.ofSeconds(90))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(
                        () -> {
                            String metrics = scrape(url);
                            if (value(metrics, "streamlearn_scorer_text_scored_total")
                                            + value(
                                                    metrics,
                                                    "streamlearn_scorer_series_scored_total")
                                    > 0) {
                                at[0] = System.nanoTime();
                                return true;
                            }
                            return false;
                        });
        return at[0];
    }

    private static List<Crash> withStalls(
            List<Crash> crashes, ScoreArrivals arrivals, long endOfCrashes) {
        List<Crash> measured = new ArrayList<>();
        for (int i = 0; i < crashes.size(); i++) {
            Crash c = crashes.get(i);
            long until = i + 1 < crashes.size() ? crashes.get(i + 1).killedNanos() : endOfCrashes;
            measured.add(
                    new Crash(
                            c.number(),
                            c.part(),
                            c.killedNanos(),
                            c.downFor(),
                            c.readyAfter(),
                            c.scoringAfter(),
                            arrivals.longestStall(c.killedNanos(), until)));
        }
        return measured;
    }

    private static void assertAllAlive(Map<String, Part> parts, String when, String... except) {
        Set<String> skipped = Set.of(except);
        for (Part part : parts.values()) {
            if (!skipped.contains(part.name())) {
                assertThat(part.isAlive())
                        .as(
                                "%s is running %s (it must reconnect by itself); its stderr: %s",
                                part.name(), when, part.process().stderr())
                        .isTrue();
            }
        }
    }

    private static boolean bothModelsPublished(String bootstrap) {
        return CommittedRecords.readAll(bootstrap, Topics.MODEL_VERSIONS).stream()
                        .map(ModelVersion::getModel)
                        .distinct()
                        .count()
                >= 2;
    }

    /** The rows of the mail file whose sends ingest committed: its load's consumer-group offset. */
    private static long committedRows(String bootstrap, Path mails) throws Exception {
        String group = "streamlearn-ingest:text-events:" + mails.toAbsolutePath().normalize();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS);
            OffsetAndMetadata position = offsets.get(new TopicPartition("text-events", 0));
            assertThat(position).as("ingest's committed position (group %s)", group).isNotNull();
            return position.offset();
        }
    }

    /** Text events: exactly the file's good rows up to ingest's position, each scored once. */
    private static void checkTexts(String bootstrap, List<String> expectedIds) {
        List<String> events =
                CommittedRecords.readAll(bootstrap, Topics.TEXT_EVENTS).stream()
                        .map(TextEvent::getId)
                        .toList();
        assertThat(duplicates(events)).as("text events sent twice").isEmpty();
        assertThat(events)
                .as("text events = the good rows ingest committed")
                .containsExactlyInAnyOrderElementsOf(expectedIds);
        List<String> scored = awaitAll(bootstrap, expectedIds.size(), () -> textScores(bootstrap));
        assertThat(duplicates(scored)).as("text events scored twice").isEmpty();
        assertThat(scored).as("text scores").containsExactlyInAnyOrderElementsOf(expectedIds);
    }

    private static List<String> textScores(String bootstrap) {
        return CommittedRecords.readAll(bootstrap, Topics.TEXT_SCORES).stream()
                .map(TextScore::getEventId)
                .toList();
    }

    /** Series points: exactly the client's good points, each scored once. */
    private static void checkSeries(String bootstrap, Set<String> sent) {
        List<String> points =
                CommittedRecords.readAll(bootstrap, Topics.SERIES_POINTS).stream()
                        .map((SeriesPoint p) -> SeriesFeed.key(p.getSeriesId(), p.getEventTime()))
                        .toList();
        assertThat(duplicates(points)).as("series points normalized twice").isEmpty();
        assertThat(points).as("series points").containsExactlyInAnyOrderElementsOf(sent);
        List<String> scored = awaitAll(bootstrap, sent.size(), () -> seriesScores(bootstrap));
        assertThat(duplicates(scored)).as("series points scored twice").isEmpty();
        assertThat(scored).as("series scores").containsExactlyInAnyOrderElementsOf(sent);
    }

    private static List<String> seriesScores(String bootstrap) {
        return CommittedRecords.readAll(bootstrap, Topics.SERIES_SCORES).stream()
                .map((SeriesScore s) -> SeriesFeed.key(s.getSeriesId(), s.getEventTime()))
                .toList();
    }

    /** Reads {@code read} again until it holds {@code expected} records (the scorers catch up). */
    private static List<String> awaitAll(
            String bootstrap, int expected, java.util.function.Supplier<List<String>> read) {
        List<List<String>> last = new ArrayList<>(List.of(List.of()));
        await("scores for all " + expected + " events")
                .atMost(DRAIN)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(
                        () -> {
                            last.set(0, read.get());
                            assertThat(last.get(0).size())
                                    .as("scores so far")
                                    .isGreaterThanOrEqualTo(expected);
                        });
        return last.get(0);
    }

    private static void checkDeadLetters(
            String bootstrap, Set<Integer> badLines, long badJson, Path mails) {
        List<DeadLetter> letters = CommittedRecords.readAll(bootstrap, Topics.DEAD_LETTERS);
        Map<String, List<DeadLetter>> byStage =
                letters.stream().collect(Collectors.groupingBy(DeadLetter::getStage));
        assertThat(byStage.keySet())
                .as("stages that dead-lettered (%s)", letters)
                .isSubsetOf("ingest", "normalize");
        List<Long> ingestLines =
                byStage.getOrDefault("ingest", List.of()).stream()
                        .map(DeadLetter::getOffset)
                        .toList();
        assertThat(duplicates(ingestLines)).as("rows dead-lettered twice").isEmpty();
        assertThat(ingestLines)
                .as("unusable rows of %s dead-lettered", mails)
                .containsExactlyInAnyOrderElementsOf(
                        badLines.stream().map(Integer::longValue).toList());
        List<String> normalized =
                byStage.getOrDefault("normalize", List.of()).stream()
                        .map(d -> d.getSourceTopic() + "/" + d.getPartition() + "@" + d.getOffset())
                        .toList();
        assertThat(duplicates(normalized)).as("JSON records dead-lettered twice").isEmpty();
        assertThat(normalized).as("unusable JSON dead-lettered").hasSize((int) badJson);
    }

    /** Gap-free, monotone versions per model; the newest text version trained on every mail. */
    private static void checkVersions(String bootstrap, int labelledTexts) {
        await("a text-classifier version that has seen all " + labelledTexts + " labelled mails")
                .atMost(DRAIN)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(
                        () ->
                                assertThat(newest(bootstrap, "text-classifier").getExamplesSeen())
                                        .as("examples trained")
                                        .isEqualTo(labelledTexts));
        Map<String, List<Long>> versions = new TreeMap<>();
        for (ModelVersion v : CommittedRecords.readAll(bootstrap, Topics.MODEL_VERSIONS)) {
            versions.computeIfAbsent(v.getModel(), m -> new ArrayList<>()).add(v.getVersion());
        }
        versions.forEach(
                (model, numbers) -> {
                    for (int i = 1; i < numbers.size(); i++) {
                        assertThat(numbers.get(i))
                                .as(
                                        "%s version after %d (all: %s)",
                                        model, numbers.get(i - 1), numbers)
                                .isEqualTo(numbers.get(i - 1) + 1);
                    }
                    System.out.printf(
                            "CrashSuiteIT: %s versions %d-%d, gap-free%n",
                            model, numbers.get(0), numbers.get(numbers.size() - 1));
                });
    }

    private static ModelVersion newest(String bootstrap, String model) {
        List<ModelVersion> all =
                CommittedRecords.readAll(bootstrap, Topics.MODEL_VERSIONS).stream()
                        .filter(v -> v.getModel().equals(model))
                        .toList();
        assertThat(all).as(model + " versions").isNotEmpty();
        return all.get(all.size() - 1);
    }

    private static <T> List<T> duplicates(List<T> values) {
        Map<T, Integer> counts = new HashMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        return counts.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Per part: crashes, time without scores and time to ready (p50 / max); scorer recovery. */
    private static void report(long seed, List<Crash> crashes, long t0) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        "seed %d, %d crashes survived in %.0f s; load %s%n",
                        seed, crashes.size(), (System.nanoTime() - t0) / 1e9, loadAverage()));
        out.append(
                "part        crashes  without scores p50 / max (s)  ready after start p50 / max (s)"
                        + "  scoring after start p50 / max (s)\n");
        Map<String, List<Crash>> byPart =
                crashes.stream()
                        .collect(
                                Collectors.groupingBy(
                                        Crash::part, TreeMap::new, Collectors.toList()));
        byPart.forEach(
                (part, list) ->
                        out.append(
                                String.format(
                                        "%-11s %7d  %14s  %31s  %33s%n",
                                        part,
                                        list.size(),
                                        p50max(list, Crash::withoutScores),
                                        p50max(list, Crash::readyAfter),
                                        list.get(0).scoringAfter() == null
                                                ? "-"
                                                : p50max(list, Crash::scoringAfter))));
        for (Crash c : crashes) {
            out.append(
                    String.format(
                            "crash %2d %-10s without scores %5.1f s%n",
                            c.number(), c.part(), c.withoutScores().toMillis() / 1e3));
        }
        System.out.print(out);
        Files.writeString(Path.of("target", "crash-suite.txt"), out);
    }

    private static String p50max(List<Crash> crashes, Function<Crash, Duration> of) {
        List<Long> ms = crashes.stream().map(of).map(Duration::toMillis).sorted().toList();
        return String.format(
                "%.1f / %.1f", ms.get(ms.size() / 2) / 1e3, ms.get(ms.size() - 1) / 1e3);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static void phase(long t0, String what) {
        System.out.printf("CrashSuiteIT: %s after %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
    }

    private static String url(String line) {
        Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/metrics").matcher(line);
        assertThat(m.find()).as("a metrics URL in: " + line).isTrue();
        return m.group();
    }

    private static String scrape(String url) throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static double value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /**
     * {@code total} rows of SpamAssassin mails as a JSON Lines file for {@code ingest} (the set
     * again with ids suffixed {@code ~2}, ... when it is shorter), with an unusable row (no text
     * field) every {@code badEvery} lines.
     */
    private record MailFile(Path path, List<String> rows) {
        static MailFile write(Path source, Path target, int total, int badEvery)
                throws IOException {
            List<String> mails = new ArrayList<>();
            try (BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    new GZIPInputStream(Files.newInputStream(source)),
                                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    mails.add(line);
                }
            }
            List<String> rows = new ArrayList<>();
            List<String> file = new ArrayList<>();
            int mail = 0;
            for (int line = 1; line <= total; line++) {
                if (line % badEvery == 0) {
                    file.add("{\"id\":\"bad-" + line + "\",\"label\":\"spam\"}");
                    rows.add(null);
                } else {
                    String json = mails.get(mail % mails.size());
                    int pass = mail / mails.size() + 1;
                    mail++;
                    String id = id(json);
                    if (pass > 1) {
                        String again = id + "~" + pass;
                        json = json.replace("\"" + id + "\"", "\"" + again + "\"");
                        id = again;
                    }
                    file.add(json);
                    rows.add(id);
                }
            }
            Files.write(target, file, StandardCharsets.UTF_8);
            return new MailFile(target, rows);
        }

        /** Ids of the good rows among the first {@code done}. */
        List<String> goodIds(long done) {
            return rows.subList(0, (int) done).stream().filter(r -> r != null).toList();
        }

        /** Line numbers of the unusable rows among the first {@code done}. */
        Set<Integer> badLines(long done) {
            Set<Integer> lines = new java.util.HashSet<>();
            for (int i = 0; i < done; i++) {
                if (rows.get(i) == null) {
                    lines.add(i + 1);
                }
            }
            return lines;
        }

        private static String id(String json) {
            Matcher m = Pattern.compile("\"id\":\\s*\"([^\"]+)\"").matcher(json);
            if (!m.find()) {
                throw new IllegalStateException("no id in " + json);
            }
            return m.group(1);
        }
    }
}
