package dev.streamlearn.ops.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * The file Kafka's, Flink's and DL4J's own messages go to (log4j2.xml keeps the console for
 * streamlearn's). A long-running command points it somewhere of its own before it starts anything,
 * and names it in its banner.
 */
final class LogFile {
    static final String PROPERTY = "streamlearn.log.file";

    private LogFile() {}

    /**
     * Sends the log file to {@code file} from now on (its directory is created).
     *
     * @return the absolute path, for the banner
     */
    static Path use(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of log file " + file, e);
        }
        System.setProperty(PROPERTY, absolute.toString());
        // log4j2 reads its configuration once; the file name is a lookup of the property above.
        if (LogManager.getContext(false) instanceof LoggerContext context) {
            context.reconfigure();
        }
        return absolute;
    }

    /**
     * A file of its own for a command without a data directory: {@code streamlearn-NAME-PID.log}.
     */
    static Path use(String command) {
        return use(
                Path.of(System.getProperty("java.io.tmpdir"))
                        .resolve(
                                "streamlearn-"
                                        + command
                                        + "-"
                                        + ProcessHandle.current().pid()
                                        + ".log"));
    }
}
