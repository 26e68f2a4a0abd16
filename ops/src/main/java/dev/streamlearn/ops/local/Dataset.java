package dev.streamlearn.ops.local;

import dev.streamlearn.ingestion.file.FileRow;
import dev.streamlearn.ingestion.file.ImageFieldMapping;
import dev.streamlearn.ingestion.file.Mapped;
import dev.streamlearn.ingestion.file.SeriesFieldMapping;
import dev.streamlearn.ingestion.file.TextFieldMapping;
import dev.streamlearn.ingestion.file.VectorFieldMapping;
import dev.streamlearn.ingestion.generate.SyntheticXor;
import dev.streamlearn.ingestion.load.FileIngestion;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.VectorEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A data set `local` replays: the shipped sensor network and SpamAssassin files (see
 * datasets/README.md), or a user's file. Spec forms: {@code sensors}, {@code spam} (the shipped
 * files), {@code sensors:FILE}, {@code spam:FILE} (a file with the same columns), {@code
 * series:FILE} (fields series, value, time), {@code text:FILE} (fields id, text, label, time),
 * {@code xor} (noisy XOR points for an {@code mlp-classifier} on {@code vector-events}, which a
 * pipeline file declares: {@link #xor}) and {@code mnist} (the shipped MNIST digits for a {@code
 * cnn-classifier} on {@code image-events}, which a pipeline file declares: {@link #mnist}).
 *
 * <p>Replayed events are stamped with the time they are sent: the pipeline, its dashboards and its
 * freshness figures run on the wall clock, not in 2002 or 2010.
 *
 * @param <V> the event type
 */
public record Dataset<V>(
        String name, Path file, Topic<String, V> topic, FileIngestion<V> ingestion) {
    static final String SENSORS_FILE = "sensors-singlehop.csv";
    static final String SPAM_FILE = "spamassassin.jsonl.gz";
    static final String MNIST_FILE = "mnist-8k.csv.gz";

    /** Whether {@link #parse} looks the spec's file up among the shipped data sets. */
    public static boolean readsShippedFile(String spec) {
        return spec.equals("sensors") || spec.equals("spam") || spec.equals("mnist");
    }

    /** Parses a --dataset spec; shipped files are looked up in {@code datasetsDir}. */
    public static Dataset<?> parse(String spec, Path datasetsDir) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        Path file = colon < 0 ? null : Path.of(spec.substring(colon + 1));
        Dataset<?> dataset =
                switch (kind) {
                    case "sensors" ->
                            sensors(file != null ? file : datasetsDir.resolve(SENSORS_FILE));
                    case "spam" -> spam(file != null ? file : datasetsDir.resolve(SPAM_FILE));
                    case "series" ->
                            series(
                                    "series",
                                    requireFile(spec, file),
                                    new SeriesFieldMapping("series", "value", "time", "series")
                                            ::map);
                    case "text" ->
                            text(
                                    "text",
                                    requireFile(spec, file),
                                    new TextFieldMapping("id", List.of("text"), "label", "time")
                                            ::map);
                    case "xor" -> xor(file != null ? file : xorFile());
                    case "mnist" -> mnist(file != null ? file : datasetsDir.resolve(MNIST_FILE));
                    default ->
                            throw new IllegalArgumentException(
                                    "--dataset "
                                            + spec
                                            + ": expected sensors, spam, xor, mnist, sensors:FILE,"
                                            + " spam:FILE, xor:FILE, mnist:FILE, series:FILE or"
                                            + " text:FILE");
                };
        if (!Files.isRegularFile(dataset.file())) {
            throw new IllegalArgumentException(
                    "--dataset " + spec + ": " + dataset.file() + " does not exist");
        }
        return dataset;
    }

    /**
     * The sensor network's temperature, one series per mote ({@code mote-1} ... {@code mote-4}).
     */
    static Dataset<SeriesPoint> sensors(Path file) {
        SeriesFieldMapping mapping =
                new SeriesFieldMapping("mote_id", "temperature", null, "sensors");
        return series(
                "sensors",
                file,
                row -> {
                    Mapped<SeriesPoint> mapped = mapping.map(row);
                    if (!mapped.isRejected()) {
                        mapped.value().setSeriesId("mote-" + mapped.value().getSeriesId());
                    }
                    return mapped;
                });
    }

    /** SpamAssassin: subject and body, labelled spam or ham. */
    static Dataset<TextEvent> spam(Path file) {
        return text(
                "spam",
                file,
                new TextFieldMapping("id", List.of("subject", "text"), "label", null)::map);
    }

    /**
     * Labelled noisy XOR points ({@link SyntheticXor}, seed 1, noise 0.3) as a CSV of id, x1, x2,
     * label: by default {@value #XOR_POINTS} of them, written once to the system's temporary
     * directory (the same seed gives the same file, so a restarted replay continues where it was).
     */
    static Dataset<VectorEvent> xor(Path file) {
        VectorFieldMapping mapping = new VectorFieldMapping("id", List.of("x1-x2"), "label", null);
        return new Dataset<>(
                "xor",
                file,
                Topics.VECTOR_EVENTS,
                new FileIngestion<>(
                        stampedNow(mapping::map, VectorEvent::setEventTime),
                        VectorEvent::getId,
                        VectorEvent::getEventTime));
    }

    /**
     * MNIST digits, 28x28 greyscale, in the file's (shuffled) order: columns id, label, p0 ... p783
     * (datasets/README.md).
     */
    static Dataset<ImageEvent> mnist(Path file) {
        ImageFieldMapping mapping =
                new ImageFieldMapping("id", List.of(), 28, 28, 1, "label", null);
        return new Dataset<>(
                "mnist",
                file,
                Topics.IMAGE_EVENTS,
                new FileIngestion<>(
                        stampedNow(mapping::map, ImageEvent::setEventTime),
                        ImageEvent::getId,
                        ImageEvent::getEventTime));
    }

    static final int XOR_POINTS = 100_000;

    private static Path xorFile() {
        Path file =
                Path.of(System.getProperty("java.io.tmpdir"))
                        .resolve("streamlearn-xor-seed1-" + XOR_POINTS + ".csv");
        if (Files.isRegularFile(file)) {
            return file;
        }
        try {
            Path partial = Files.createTempFile(file.getParent(), "streamlearn-xor", ".part");
            try (BufferedWriter out = Files.newBufferedWriter(partial)) {
                out.write("id,x1,x2,label\n");
                SyntheticXor points = new SyntheticXor(1, XOR_POINTS, 0.3);
                while (points.hasNext()) {
                    VectorEvent e = points.next();
                    out.write(
                            e.getId()
                                    + ","
                                    + e.getFeatures().get(0)
                                    + ","
                                    + e.getFeatures().get(1)
                                    + ","
                                    + e.getLabel()
                                    + "\n");
                }
            }
            // Moved into place whole, so a file under the name is always complete.
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the XOR data set to " + file, e);
        }
    }

    private static Dataset<SeriesPoint> series(
            String name, Path file, Function<FileRow, Mapped<SeriesPoint>> mapping) {
        return new Dataset<>(
                name,
                file,
                Topics.SERIES_POINTS,
                new FileIngestion<>(
                        stampedNow(mapping, SeriesPoint::setEventTime),
                        SeriesPoint::getSeriesId,
                        SeriesPoint::getEventTime));
    }

    private static Dataset<TextEvent> text(
            String name, Path file, Function<FileRow, Mapped<TextEvent>> mapping) {
        return new Dataset<>(
                name,
                file,
                Topics.TEXT_EVENTS,
                new FileIngestion<>(
                        stampedNow(mapping, TextEvent::setEventTime),
                        TextEvent::getId,
                        TextEvent::getEventTime));
    }

    private static <V> Function<FileRow, Mapped<V>> stampedNow(
            Function<FileRow, Mapped<V>> mapping,
            java.util.function.BiConsumer<V, Instant> setTime) {
        return row -> {
            Mapped<V> mapped = mapping.apply(row);
            if (!mapped.isRejected()) {
                setTime.accept(mapped.value(), Instant.now());
            }
            return mapped;
        };
    }

    private static Path requireFile(String spec, Path file) {
        if (file == null) {
            throw new IllegalArgumentException(
                    "--dataset " + spec + ": expected " + spec + ":FILE");
        }
        return file;
    }

    /**
     * Where the shipped data sets are: {@code ./datasets} when run from the project, else beside
     * the project that built this jar ({@code ops/target/streamlearn.jar} → {@code datasets/}).
     */
    public static Path shippedDir() {
        List<Path> tried = new ArrayList<>();
        Path here = Path.of("datasets");
        tried.add(here.toAbsolutePath());
        if (Files.isDirectory(here)) {
            return here;
        }
        try {
            Path jar =
                    Path.of(
                            Dataset.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            Path project = jar.getParent().getParent().getParent().resolve("datasets");
            tried.add(project);
            if (Files.isDirectory(project)) {
                return project;
            }
        } catch (URISyntaxException | NullPointerException e) {
            // no code source: only ./datasets applies
        }
        throw new IllegalStateException(
                "the shipped data sets were not found (looked in "
                        + tried
                        + "); run from the project directory or pass --dataset series:FILE / text:FILE");
    }
}
