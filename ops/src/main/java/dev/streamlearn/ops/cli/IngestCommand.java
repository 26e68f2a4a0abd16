package dev.streamlearn.ops.cli;

import dev.streamlearn.ingestion.file.ImageFieldMapping;
import dev.streamlearn.ingestion.file.VectorFieldMapping;
import dev.streamlearn.ingestion.load.FileIngestion;
import dev.streamlearn.ingestion.load.LoadSummary;
import dev.streamlearn.ingestion.load.ResumableSender;
import dev.streamlearn.ops.metrics.MetricsEndpoint;
import dev.streamlearn.ops.metrics.PipelineMeters;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.trainer.flink.KafkaClientOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamlearn ingest series|text|vector|image}: a CSV or JSON Lines file into the pipeline.
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Loads a CSV or JSON Lines file (gzipped or not) into series-points, text-events,"
                    + " vector-events or image-events as Avro.",
            "Rows that do not map go to dead-letters with file, line and reason."
        },
        subcommands = {
            IngestCommand.Series.class,
            IngestCommand.Text.class,
            IngestCommand.Vector.class,
            IngestCommand.Image.class
        })
final class IngestCommand {

    abstract static class Common implements Callable<Integer> {
        @Option(
                names = "--file",
                required = true,
                paramLabel = "FILE",
                description = "CSV or JSON Lines, optionally .gz.")
        Path file;

        @Mixin BootstrapOption bootstrap;

        @Mixin KafkaClientOptions kafkaClient;

        @Mixin MetricsOptions metrics;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        PaceOptions pace = new PaceOptions();

        @Option(
                names = "--max-rows",
                paramLabel = "N",
                defaultValue = "" + Long.MAX_VALUE,
                description = "Stop after N rows.")
        long maxRows;

        @Option(
                names = "--topic",
                paramLabel = "NAME",
                description =
                        "Topic to write (default: series-points or text-events), e.g. the input"
                                + " topic of a pipeline file's model; train, score and local"
                                + " create those.")
        String topicName;

        @Option(
                names = "--ingest-id",
                paramLabel = "ID",
                description =
                        "Names this load: a run with the same id continues after the rows the"
                                + " last one committed (default: the topic and the file's"
                                + " absolute path).")
        String ingestId;

        @Option(
                names = "--from-start",
                description =
                        "Send the file from its first row, even where an earlier run of this load"
                                + " already sent rows.")
        boolean fromStart;

        @Spec CommandSpec spec;

        <V> int load(Topic<String, V> familyTopic, FileIngestion<V> ingestion) throws IOException {
            Topic<String, V> topic = target(familyTopic);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(
                        "--file " + file + " does not exist or is not a file");
            }
            metrics.port(MetricsOptions.INGEST_PORT); // a bad value fails before anything starts
            KafkaConnection kafka = kafkaClient.connection(bootstrap.servers);
            KafkaAdmin.connect(kafka).close(); // fail fast on a wrong address or credentials
            PrintWriter out = spec.commandLine().getOut();
            LoadSummary summary;
            PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
            String id =
                    ingestId != null
                            ? ingestId
                            : topic.name() + ":" + file.toAbsolutePath().normalize();
            CountDownLatch closed = new CountDownLatch(1);
            Thread loading = Thread.currentThread();
            // Ctrl-C: stop after the row being sent, commit what is done, then exit.
            Thread stop =
                    new Thread(
                            () -> {
                                loading.interrupt();
                                try {
                                    closed.await(15, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "ingest-shutdown");
            Runtime.getRuntime().addShutdownHook(stop);
            // The endpoint lives while the file loads: a short load may end between two scrapes.
            try (ResumableSender<V> sender =
                            ResumableSender.open(kafka, topic, id, file.getFileName().toString());
                    Closer endpoint =
                            new Closer(
                                    metrics.start(
                                            "ingestion",
                                            MetricsOptions.INGEST_PORT,
                                            registry::scrape));
                    ProgressDisplay progress = ProgressDisplay.on(out, "Ingesting")) {
                PipelineMeters.bindIngest(registry, topic.name(), sender);
                long resumeAfter = fromStart ? 0 : sender.committedRows();
                if (resumeAfter > 0) {
                    out.printf(
                            "Continuing %s after row %,d: an earlier run of this load committed"
                                    + " rows 1-%,d (--from-start sends them again).%n",
                            file, resumeAfter, resumeAfter);
                }
                endpoint.url()
                        .ifPresent(url -> out.printf("Ingesting %s; metrics at %s%n", file, url));
                out.flush();
                summary =
                        ingestion.load(file, resumeAfter, maxRows, sender, pace.pacer(), progress);
            } finally {
                closed.countDown();
            }
            out.printf("%s -> %s: %s%n", file, topic.name(), summary);
            out.flush();
            return 0;
        }

        /** The family's topic, or the one --topic names: never another of the pipeline's own. */
        private <V> Topic<String, V> target(Topic<String, V> familyTopic) {
            if (topicName == null) {
                return familyTopic;
            }
            Optional<Topic<?, ?>> known = Topics.byName(topicName);
            if (known.isPresent() && known.get() != familyTopic) {
                throw new IllegalArgumentException(
                        "--topic "
                                + topicName
                                + ": that topic carries "
                                + known.get().description()
                                + "; expected "
                                + familyTopic.name()
                                + " or a topic of your own");
            }
            return familyTopic.renamed(topicName);
        }
    }

    /** The optional endpoint as a resource. */
    private record Closer(Optional<MetricsEndpoint> endpoint) implements AutoCloseable {
        Optional<String> url() {
            return endpoint.map(MetricsEndpoint::url);
        }

        @Override
        public void close() {
            endpoint.ifPresent(MetricsEndpoint::close);
        }
    }

    @Command(name = "series", mixinStandardHelpOptions = true, description = "Load series points.")
    static final class Series extends Common {
        @Mixin SeriesFieldOptions fields;

        @Override
        public Integer call() throws IOException {
            return load(
                    Topics.SERIES_POINTS,
                    new FileIngestion<>(
                            fields.mapping(file)::map,
                            SeriesPoint::getSeriesId,
                            SeriesPoint::getEventTime));
        }
    }

    @Command(name = "text", mixinStandardHelpOptions = true, description = "Load text events.")
    static final class Text extends Common {
        @Mixin TextFieldOptions fields;

        @Override
        public Integer call() throws IOException {
            return load(
                    Topics.TEXT_EVENTS,
                    new FileIngestion<>(
                            fields.mapping()::map, TextEvent::getId, TextEvent::getEventTime));
        }
    }

    @Command(
            name = "vector",
            mixinStandardHelpOptions = true,
            description = "Load numeric feature vectors (for mlp-classifier models).")
    static final class Vector extends Common {
        @Mixin VectorFieldOptions fields;

        @Override
        public Integer call() throws IOException {
            VectorFieldMapping mapping;
            try {
                mapping = fields.mapping();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            return load(
                    Topics.VECTOR_EVENTS,
                    new FileIngestion<>(
                            mapping::map, VectorEvent::getId, VectorEvent::getEventTime));
        }
    }

    @Command(
            name = "image",
            mixinStandardHelpOptions = true,
            description =
                    "Load images from rows of pixel values (for cnn-classifier models), e.g."
                            + " datasets/mnist-8k.csv.gz with --width 28 --height 28.")
    static final class Image extends Common {
        @Mixin ImageFieldOptions fields;

        @Override
        public Integer call() throws IOException {
            ImageFieldMapping mapping;
            try {
                mapping = fields.mapping();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            return load(
                    Topics.IMAGE_EVENTS,
                    new FileIngestion<>(mapping::map, ImageEvent::getId, ImageEvent::getEventTime));
        }
    }
}
