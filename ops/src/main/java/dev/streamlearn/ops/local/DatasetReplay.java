package dev.streamlearn.ops.local;

import dev.streamlearn.ingestion.load.EventSender;
import dev.streamlearn.ingestion.load.Pacer;
import dev.streamlearn.ingestion.load.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays one data set into its topic on a thread of its own, and remembers how far it got (rows
 * acknowledged by the broker, saved about once a second), so that `local` started again on the same
 * data dir continues where it stopped instead of sending the same events twice. After a crash (no
 * clean stop), up to a second of rows may be sent again.
 */
final class DatasetReplay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetReplay.class);
    private static final long SAVE_EVERY_NANOS = 1_000_000_000L;

    private final Dataset<?> dataset;
    private final Path progressFile;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong total = new AtomicLong(-1);
    private final AtomicLong rejected = new AtomicLong();
    private final Thread thread;

    DatasetReplay(Dataset<?> dataset, Path stateDir, String bootstrap, double perSecond) {
        this.dataset = dataset;
        this.progressFile = stateDir.resolve(dataset.name() + ".rows-done");
        this.thread = new Thread(() -> run(bootstrap, perSecond), "replay-" + dataset.name());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String name() {
        return dataset.name();
    }

    /** Rows handled, counting those an earlier run sent. */
    long done() {
        return done.get();
    }

    /** Events this run sent to their topic. */
    long sentThisRun() {
        return Math.max(0, done.get() - skipped.get() - rejected.get());
    }

    /** Rows in the file, -1 until known. */
    long total() {
        return total.get();
    }

    long rejected() {
        return rejected.get();
    }

    private void run(String bootstrap, double perSecond) {
        try {
            replay(dataset, bootstrap, perSecond);
        } catch (RuntimeException | IOException e) {
            if (!Thread.currentThread().isInterrupted()) {
                LOG.error("replay of {} stopped: {}", dataset.name(), e.getMessage());
            }
        }
    }

    private <V> void replay(Dataset<V> data, String bootstrap, double perSecond)
            throws IOException {
        long skip = savedRows();
        skipped.set(skip);
        done.set(skip);
        if (skip > 0) {
            LOG.info("replay of {} continues after row {}", data.name(), skip);
        }
        try (EventSender<V> sender = new EventSender<>(bootstrap, data.topic())) {
            long[] lastSave = {System.nanoTime()};
            Progress progress =
                    (rows, all, refused) -> {
                        total.set(all);
                        rejected.set(refused);
                        done.set(rows);
                        if (System.nanoTime() - lastSave[0] > SAVE_EVERY_NANOS) {
                            sender.flush(); // save only what the broker has acknowledged
                            save(rows);
                            lastSave[0] = System.nanoTime();
                        }
                    };
            try {
                data.ingestion()
                        .load(
                                data.file(),
                                skip,
                                Long.MAX_VALUE,
                                sender,
                                Pacer.fixedRate(perSecond),
                                progress);
            } finally {
                // close() stops the load by interrupting this thread, and Kafka's producer throws
                // InterruptException from send or flush on an interrupted thread: the rows of the
                // last second were then never saved and a restart sent them again (LocalPipelineIT
                // saw 20 extra events). Clear the flag, have what was sent acknowledged, save it.
                boolean stopping = Thread.interrupted();
                sender.flush();
                save(done.get());
                if (stopping) {
                    Thread.currentThread().interrupt();
                }
            }
            LOG.info("replay of {} finished: {} rows", data.name(), done.get());
        }
    }

    private long savedRows() throws IOException {
        if (!Files.isRegularFile(progressFile)) {
            return 0;
        }
        return Long.parseLong(Files.readString(progressFile, StandardCharsets.UTF_8).strip());
    }

    private void save(long rows) {
        try {
            Path tmp = progressFile.resolveSibling(progressFile.getFileName() + ".tmp");
            Files.writeString(tmp, Long.toString(rows), StandardCharsets.UTF_8);
            Files.move(
                    tmp,
                    progressFile,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save replay progress to " + progressFile, e);
        }
    }

    /** Stops sending; what was acknowledged is saved by the replay thread on its way out. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
