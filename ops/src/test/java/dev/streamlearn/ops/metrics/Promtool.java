package dev.streamlearn.ops.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code promtool check metrics} (package {@code prometheus}) on a scrape: it parses
 * Prometheus' text format and lints names, types and units. Test fixture.
 */
public final class Promtool {
    public static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private Promtool() {}

    /** Whether promtool is here; tests that need it skip with a message where it is not. */
    public static boolean installed() {
        return Files.isExecutable(PROMTOOL);
    }

    /** What {@code promtool check metrics} said about {@code scraped}: its exit and its lines. */
    public record Verdict(int exit, List<String> complaints) {
        /**
         * The complaints except those about {@code kafka_*} metrics: Micrometer's Kafka binders
         * pass the Kafka clients' metrics through under Kafka's own names ("_ns", "_count" on a
         * gauge, no help text), which are not ours to rename. A parse error stays in.
         */
        public List<String> aboutOurNames() {
            return complaints.stream().filter(line -> !line.startsWith("kafka_")).toList();
        }

        /** Whether promtool read the whole scrape: exit 0 (clean) or 3 (lint findings only). */
        public boolean parsed() {
            return exit == 0 || exit == 3;
        }
    }

    public static Verdict checkMetrics(String scraped) throws IOException, InterruptedException {
        Path in = Files.createTempFile("scraped-", ".txt");
        try {
            Files.writeString(in, scraped, StandardCharsets.UTF_8);
            Process promtool =
                    new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                            .redirectInput(in.toFile())
                            .redirectErrorStream(true)
                            .start();
            String output = new String(promtool.getInputStream().readAllBytes());
            if (!promtool.waitFor(60, TimeUnit.SECONDS)) {
                promtool.destroyForcibly();
                throw new AssertionError("promtool check metrics did not finish in 60 s");
            }
            return new Verdict(
                    promtool.exitValue(), output.lines().filter(l -> !l.isBlank()).toList());
        } finally {
            Files.deleteIfExists(in);
        }
    }
}
