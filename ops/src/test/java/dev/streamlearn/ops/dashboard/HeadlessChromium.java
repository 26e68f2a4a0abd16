package dev.streamlearn.ops.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium run as a process, the way a person's browser would load a page: {@code
 * --dump-dom} for the DOM after the scripts ran, {@code --screenshot} for a PNG. Test helper.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 120;

    private final Path profileDir;

    HeadlessChromium(Path profileDir) {
        this.profileDir = profileDir;
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** The page's DOM once {@code virtualTimeMs} of page time has run. */
    String dumpDom(String url, int virtualTimeMs) throws IOException, InterruptedException {
        return run(
                List.of("--virtual-time-budget=" + virtualTimeMs, "--dump-dom", url), "dump-dom");
    }

    void screenshot(String url, int virtualTimeMs, Path png, int width, int height)
            throws IOException, InterruptedException {
        run(
                List.of(
                        "--virtual-time-budget=" + virtualTimeMs,
                        "--hide-scrollbars",
                        "--window-size=" + width + "," + height,
                        "--screenshot=" + png.toAbsolutePath(),
                        url),
                "screenshot");
    }

    private String run(List<String> args, String what) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(
                List.of(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--user-data-dir=" + profileDir.toAbsolutePath()));
        command.addAll(args);
        Path stdout = Files.createTempFile(profileDir.getParent(), "chromium-", ".out");
        Path stderr = Files.createTempFile(profileDir.getParent(), "chromium-", ".log");
        Process process =
                new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(
                    "chromium " + what + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    "chromium "
                            + what
                            + " exited with "
                            + process.exitValue()
                            + ": "
                            + Files.readString(stderr));
        }
        byte[] out = Files.readAllBytes(stdout);
        return new String(out, StandardCharsets.UTF_8);
    }
}
