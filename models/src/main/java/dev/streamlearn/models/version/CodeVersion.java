package dev.streamlearn.models.version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The streamlearn build this code comes from, e.g. {@code 0.1.0-SNAPSHOT+3f10c5e} ({@code .dirty}
 * when built from uncommitted changes): stamped on every version as {@code codeVersion}, so a score
 * traces to the code that trained its weights as well as to the weights and data.
 */
public final class CodeVersion {
    private static final String CURRENT = read();

    private CodeVersion() {}

    public static String current() {
        return CURRENT;
    }

    private static String read() {
        Properties build = new Properties();
        try (InputStream in = CodeVersion.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return "unknown";
            }
            build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build's version", e);
        }
        return format(
                build.getProperty("version", ""),
                build.getProperty("commit", ""),
                build.getProperty("dirty", ""));
    }

    /** Leaves out what the build could not fill in (a property Maven left as {@code ${...}}). */
    static String format(String version, String commit, String dirty) {
        String text = known(version) ? version : "unknown";
        if (known(commit)) {
            text += "+" + commit + ("true".equals(dirty) ? ".dirty" : "");
        }
        return text;
    }

    private static boolean known(String value) {
        return !value.isBlank() && !value.startsWith("${");
    }
}
