package dev.streamlearn.ops.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code ops/target/streamlearn.jar} run as its own process, exactly as a user runs it
 * ({@code java -jar ...}). Test fixture: collects stdout and stderr lines as they come.
 */
public final class StreamlearnProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target", "streamlearn.jar");

    private final Process process;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final List<String> stderr = java.util.Collections.synchronizedList(new ArrayList<>());

    private final Thread stdoutPump;

    private StreamlearnProcess(Process process) {
        this.process = process;
        this.stdoutPump = pump(process.getInputStream(), stdout::add, "stdout");
        pump(process.getErrorStream(), stderr::add, "stderr");
    }

    public static StreamlearnProcess start(String... args) throws IOException {
        return start(List.of(), args);
    }

    /** As {@link #start(String...)} with JVM options first (a heap cap, when many run at once). */
    public static StreamlearnProcess start(List<String> jvmOptions, String... args)
            throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(
                    JAR.toAbsolutePath() + " is missing: run `mvn package` first");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        return new StreamlearnProcess(new ProcessBuilder(command).start());
    }

    /**
     * Waits for a stdout line containing {@code text}, taking the lines up to it off the queue;
     * fails saying what arrived instead.
     */
    public String awaitLine(String text, Duration timeout) {
        List<String> seen = new ArrayList<>();
        await("a stdout line containing '" + text + "'")
                .atMost(timeout)
                .pollInSameThread() // none left running after a timeout, taking a later wait's
                // lines
                .pollInterval(Duration.ZERO) // stdout.poll below waits for the next line itself
                .failFast(
                        "the process closed its stdout",
                        () ->
                                assertThat(stdoutPump.isAlive() || !stdout.isEmpty())
                                        .as("stdout open; it was %s, stderr was %s", seen, stderr)
                                        .isTrue())
                .untilAsserted(
                        () -> {
                            String line = stdout.poll(100, TimeUnit.MILLISECONDS);
                            if (line != null) {
                                seen.add(line);
                            }
                            assertThat(seen)
                                    .as("stdout (stderr was %s)", stderr)
                                    .anyMatch(l -> l.contains(text));
                        });
        return seen.get(seen.size() - 1); // the wait ends at the first line that matches
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(
                    "process did not exit within " + timeout + "; stderr: " + stderr);
        }
        return process.exitValue();
    }

    /** Sends SIGTERM, as Ctrl-C or `kill` would, and waits for a clean exit. */
    public int stop(Duration timeout) throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of its stdout, and
        // what it prints while shutting down would be lost.
        process.toHandle().destroy();
        return awaitExit(timeout);
    }

    /**
     * Sends SIGKILL ({@code kill -9}): the process gets no chance to clean up. Returns once it is
     * gone.
     */
    public void kill(Duration timeout) throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(
                    "process " + process.pid() + " survived SIGKILL for " + timeout);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stderr() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static Thread pump(
            java.io.InputStream in, java.util.function.Consumer<String> sink, String name) {
        Thread thread =
                new Thread(
                        () -> {
                            try (BufferedReader reader =
                                    new BufferedReader(
                                            new InputStreamReader(in, StandardCharsets.UTF_8))) {
                                for (String line = reader.readLine();
                                        line != null;
                                        line = reader.readLine()) {
                                    sink.accept(line);
                                }
                            } catch (IOException closed) {
                                // The process ended.
                            }
                        },
                        "streamlearn-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
