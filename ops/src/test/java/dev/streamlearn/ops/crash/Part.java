package dev.streamlearn.ops.crash;

import dev.streamlearn.ops.process.StreamlearnProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * One part of the pipeline as its own process, started again after a crash with the same command,
 * as an operator (or a supervisor) would. Test fixture of {@link CrashSuiteIT}.
 */
final class Part implements AutoCloseable {
    private final String name;
    private final List<String> jvm;
    private final String[] args;
    private final String readyText;
    private final Duration readyTimeout;
    private StreamlearnProcess process;
    private long startedNanos;
    private String readyLine;

    Part(String name, List<String> jvm, String readyText, Duration readyTimeout, String... args) {
        this.name = name;
        this.jvm = jvm;
        this.args = args;
        this.readyText = readyText;
        this.readyTimeout = readyTimeout;
    }

    String name() {
        return name;
    }

    void start() throws IOException {
        startedNanos = System.nanoTime();
        process = StreamlearnProcess.start(jvm, args);
    }

    /** Waits for the line the part prints once it works, and returns it. */
    String awaitReady() {
        readyLine = process.awaitLine(readyText, readyTimeout);
        return readyLine;
    }

    /** {@code kill -9}, returning once the process is gone. */
    void kill() throws InterruptedException {
        process.kill(Duration.ofSeconds(30));
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long startedNanos() {
        return startedNanos;
    }

    String readyLine() {
        return readyLine;
    }

    StreamlearnProcess process() {
        return process;
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
