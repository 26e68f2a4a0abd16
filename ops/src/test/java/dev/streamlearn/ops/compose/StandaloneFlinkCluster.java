package dev.streamlearn.ops.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamlearn.ops.metrics.LoopbackPrometheusReporterFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Flink session cluster in processes of its own, as {@code flink-dist}'s scripts start it: a
 * JobManager ({@code StandaloneSessionClusterEntrypoint}) and two TaskManagers ({@code
 * TaskManagerRunner}), each a JVM with a {@code config.yaml} written here, everything on 127.0.0.1.
 * Jobs are submitted as jars with {@code flink run} ({@code CliFrontend}, a third process), over
 * the JobManager's REST port. Test fixture.
 *
 * <p>flink-dist is not served from Maven Central, so the processes' classpath is built from the
 * Maven artifacts in {@code ops/target/lib}: Flink's runtime, client and DataStream jars and what
 * they need, nothing of streamlearn's pipeline (no Kafka, Avro, DL4J or ND4J, none of our modules).
 * So a submitted job runs only with what its own jar carries, as on a real cluster. The one
 * addition is {@code ops/target/classes} with what it needs (Micrometer's Prometheus registry, and
 * Javalin with Jetty for the endpoint), for {@code LoopbackPrometheusReporter}: Flink's metrics
 * served on 127.0.0.1 (Flink's own reporter binds every interface).
 */
final class StandaloneFlinkCluster implements AutoCloseable {
    private static final Path LIB = Path.of("target", "lib");
    private static final Path OPS_CLASSES = Path.of("target", "classes");
    private static final Duration START = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int TASK_MANAGERS = 2;
    static final int SLOTS_PER_TASK_MANAGER = 2;

    /** What Flink's config.yaml gives every Flink JVM on Java 17 ({@code env.java.opts.all}). */
    private static final List<String> FLINK_JVM_OPENS =
            Stream.of(
                            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                            "--add-opens=java.base/java.lang=ALL-UNNAMED",
                            "--add-opens=java.base/java.net=ALL-UNNAMED",
                            "--add-opens=java.base/java.io=ALL-UNNAMED",
                            "--add-opens=java.base/java.nio=ALL-UNNAMED",
                            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                            "--add-opens=java.base/java.text=ALL-UNNAMED",
                            "--add-opens=java.base/java.time=ALL-UNNAMED",
                            "--add-opens=java.base/java.util=ALL-UNNAMED",
                            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED")
                    .toList();

    private final Path dir;
    private final String classpath;
    private final int restPort;
    private final int jobManagerMetricsPort;
    private final List<Integer> taskManagerMetricsPorts;
    private final List<Process> processes = new ArrayList<>();

    private StandaloneFlinkCluster(
            Path dir, String classpath, int restPort, int jm, List<Integer> tms) {
        this.dir = dir;
        this.classpath = classpath;
        this.restPort = restPort;
        this.jobManagerMetricsPort = jm;
        this.taskManagerMetricsPorts = List.copyOf(tms);
    }

    /**
     * Starts a JobManager and {@value #TASK_MANAGERS} TaskManagers of {@value
     * #SLOTS_PER_TASK_MANAGER} slots each, as docker-compose.yml's {@code taskmanager} service at
     * {@code scale: 2}, and returns at once: they come up while the caller starts other things;
     * {@link #awaitSlots()} waits for them.
     */
    static StandaloneFlinkCluster launch(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        StandaloneFlinkCluster cluster =
                new StandaloneFlinkCluster(
                        dir, classpath(), freePort(), freePort(), taskManagerMetricsPorts());
        cluster.writeConfiguration(freePort());
        try {
            cluster.launch(
                    "jobmanager",
                    List.of("-Xmx512m"),
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    cluster.jobManagerMetricsPort);
            for (int i = 0; i < TASK_MANAGERS; i++) {
                cluster.launch(
                        taskManagerName(i),
                        // Heap = framework + task heap below; direct = framework off-heap +
                        // network. ND4J's own off-heap memory (javacpp) is capped apart.
                        List.of(
                                "-Xmx700m",
                                "-XX:MaxDirectMemorySize=320m",
                                "-Dorg.bytedeco.javacpp.maxbytes=2g",
                                "-Dorg.bytedeco.javacpp.maxphysicalbytes=4g"),
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                        cluster.taskManagerMetricsPorts.get(i));
            }
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * {@code flink run -d -c MAIN JAR ARGS}: submits the job jar over REST and returns its job id.
     */
    String submit(Path jobJar, String mainClass, String... args)
            throws IOException, InterruptedException {
        List<String> command = javaCommand("client", List.of("-Xmx512m"));
        command.addAll(
                List.of(
                        "org.apache.flink.client.cli.CliFrontend",
                        "run",
                        "-d",
                        "-c",
                        mainClass,
                        jobJar.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("client.out");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("FLINK_CONF_DIR", dir.resolve("conf").toString());
        Process client = builder.start();
        if (!client.waitFor(START.toSeconds(), TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new AssertionError("flink run did not finish in " + START + ": " + read(out));
        }
        String output = read(out);
        Matcher id = Pattern.compile("submitted with JobID ([0-9a-f]{32})").matcher(output);
        if (client.exitValue() != 0 || !id.find()) {
            throw new AssertionError(
                    "flink run failed (exit " + client.exitValue() + "): " + output + logs());
        }
        return id.group(1);
    }

    /** The job's state as the JobManager's REST API says (RUNNING, FAILED, ...). */
    String jobState(String jobId) throws IOException, InterruptedException {
        String json = rest("/jobs/" + jobId);
        Matcher state = Pattern.compile("\"state\":\"([A-Z_]+)\"").matcher(json);
        return state.find() ? state.group(1) : "unknown: " + json;
    }

    String rest(String path) throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(restUrl() + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    String jobManagerMetricsUrl() {
        return "http://127.0.0.1:" + jobManagerMetricsPort + "/metrics";
    }

    /** Each TaskManager's metrics endpoint, in launch order. */
    List<String> taskManagerMetricsUrls() {
        return taskManagerMetricsPorts.stream()
                .map(port -> "http://127.0.0.1:" + port + "/metrics")
                .toList();
    }

    private static List<Integer> taskManagerMetricsPorts() throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < TASK_MANAGERS; i++) {
            ports.add(freePort());
        }
        return ports;
    }

    private static String taskManagerName(int i) {
        return "taskmanager-" + (i + 1);
    }

    /** The tail of each process' log, for failure messages. */
    String logs() {
        StringBuilder text = new StringBuilder();
        List<String> names = new ArrayList<>(List.of("jobmanager", "client"));
        for (int i = 0; i < TASK_MANAGERS; i++) {
            names.add(1 + i, taskManagerName(i));
        }
        for (String name : names) {
            Path log = dir.resolve(name + ".log");
            if (Files.exists(log)) {
                List<String> lines = read(log).lines().toList();
                text.append("\n--- ")
                        .append(log)
                        .append(" (last 30 lines) ---\n")
                        .append(
                                String.join(
                                        "\n",
                                        lines.subList(
                                                Math.max(0, lines.size() - 30), lines.size())));
            }
        }
        return text.toString();
    }

    /** SIGTERM to the TaskManagers, then the JobManager; forcibly after 30 s each. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            process.toHandle().destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether every process of the cluster has exited. */
    boolean stopped() {
        return processes.stream().noneMatch(Process::isAlive);
    }

    private void launch(String name, List<String> heap, String mainClass, int metricsPort)
            throws IOException {
        List<String> command = javaCommand(name, heap);
        command.add(mainClass);
        command.addAll(
                List.of(
                        "--configDir",
                        dir.resolve("conf").toString(),
                        "-Dmetrics.reporter."
                                + LoopbackPrometheusReporterFactory.NAME
                                + ".port="
                                + metricsPort));
        Path out = dir.resolve(name + ".out");
        processes.add(
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start());
    }

    private List<String> javaCommand(String name, List<String> heap) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(FLINK_JVM_OPENS);
        command.addAll(heap);
        command.add("-Dlog.file=" + dir.resolve(name + ".log").toAbsolutePath());
        command.add(
                "-Dlog4j.configurationFile="
                        + dir.resolve("conf").resolve("log4j2.properties").toAbsolutePath());
        command.add("-cp");
        command.add(classpath);
        return command;
    }

    /** Waits until every TaskManager has registered its slots with the JobManager. */
    void awaitSlots() {
        int slots = TASK_MANAGERS * SLOTS_PER_TASK_MANAGER;
        await("the Flink cluster offering " + slots + " slots")
                .atMost(START)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(500))
                .failFast(
                        "a Flink process exited",
                        () ->
                                assertThat(processes)
                                        .as(() -> "Flink processes" + logs())
                                        .allMatch(Process::isAlive))
                .untilAsserted(
                        () -> {
                            String overview;
                            try {
                                overview = rest("/overview");
                            } catch (IOException notYet) {
                                overview = notYet.toString();
                            }
                            assertThat(overview)
                                    .as(() -> "/overview" + logs())
                                    .contains("\"slots-total\":" + slots);
                        });
    }

    private void writeConfiguration(int rpcPort) throws IOException {
        // Flink 2's config.yaml (standard YAML). The TaskManager's memory is given component by
        // component, as flink-dist's scripts would compute it for taskmanager.memory.process.size
        // 1408m: 128m + 512m heap, 128m framework off-heap, 64m network, 128m managed (unused by
        // the hashmap state backend), 256m metaspace, 192m overhead.
        Files.writeString(
                dir.resolve("conf").resolve("config.yaml"),
                String.join(
                        "\n",
                        "jobmanager:",
                        "  rpc:",
                        "    address: 127.0.0.1",
                        "    port: " + rpcPort,
                        "  bind-host: 127.0.0.1",
                        "  memory:",
                        "    process:",
                        "      size: 1024m",
                        "taskmanager:",
                        "  bind-host: 127.0.0.1",
                        "  host: 127.0.0.1",
                        "  numberOfTaskSlots: " + SLOTS_PER_TASK_MANAGER,
                        // As docker-compose.yml: a job of parallelism 2 gets a slot on each.
                        "  load-balance:",
                        "    mode: slots",
                        "  cpu:",
                        "    cores: 2",
                        "  memory:",
                        "    process:",
                        "      size: 1408m",
                        "    jvm-metaspace:",
                        "      size: 256m",
                        "    jvm-overhead:",
                        "      min: 192m",
                        "      max: 192m",
                        "    framework:",
                        "      heap:",
                        "        size: 128m",
                        "      off-heap:",
                        "        size: 128m",
                        "    task:",
                        "      heap:",
                        "        size: 512m",
                        "      off-heap:",
                        "        size: 0m",
                        "    network:",
                        "      min: 64m",
                        "      max: 64m",
                        "    managed:",
                        "      size: 128m",
                        "rest:",
                        "  address: 127.0.0.1",
                        "  bind-address: 127.0.0.1",
                        "  port: " + restPort,
                        "parallelism:",
                        "  default: 2",
                        "state:",
                        "  backend:",
                        "    type: hashmap",
                        "metrics:",
                        "  reporter:",
                        "    " + LoopbackPrometheusReporterFactory.NAME + ":",
                        "      factory:",
                        "        class: " + LoopbackPrometheusReporterFactory.class.getName(),
                        ""));
        Files.writeString(
                dir.resolve("conf").resolve("log4j2.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = File",
                        "appender.file.type = File",
                        "appender.file.name = File",
                        "appender.file.fileName = ${sys:log.file}",
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n",
                        ""));
    }

    /**
     * What flink-dist's lib/ would hold: Flink's own jars (not its connectors, but the datagen
     * source, which flink-dist bundles, and not its formats such as flink-avro, which jobs bring)
     * and their third-party dependencies.
     */
    private static String classpath() throws IOException {
        if (!Files.isDirectory(LIB) || !Files.isDirectory(OPS_CLASSES)) {
            throw new IllegalStateException(
                    LIB.toAbsolutePath() + " is missing: run `mvn package` first");
        }
        Pattern flinkDist =
                Pattern.compile(
                        "(flink-(?!connector-|avro-)|flink-connector-datagen-|commons-|kryo-|minlog-"
                                + "|objenesis-|reflectasm-|snappy-java-|lz4-java-|zstd-jni-"
                                + "|slf4j-api-|log4j-|jsr305-|async-profiler-|snakeyaml-engine-"
                                + "|javassist-|micrometer-|prometheus-metrics-|HdrHistogram-"
                                + "|javalin-|jetty-|jakarta\\.servlet-api-|kotlin-stdlib-).*\\.jar");
        List<String> entries = new ArrayList<>();
        try (Stream<Path> jars = Files.list(LIB)) {
            jars.filter(j -> flinkDist.matcher(j.getFileName().toString()).matches())
                    .sorted()
                    .forEach(j -> entries.add(j.toAbsolutePath().toString()));
        }
        entries.add(OPS_CLASSES.toAbsolutePath().toString());
        return String.join(java.io.File.pathSeparator, entries);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
