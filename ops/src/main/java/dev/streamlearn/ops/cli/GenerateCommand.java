package dev.streamlearn.ops.cli;

import dev.streamlearn.ingestion.generate.SyntheticSeries;
import dev.streamlearn.ingestion.generate.SyntheticText;
import dev.streamlearn.ingestion.generate.SyntheticXor;
import dev.streamlearn.ingestion.load.EventSender;
import dev.streamlearn.ingestion.load.LoadSummary;
import dev.streamlearn.ingestion.load.Pacer;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.trainer.flink.KafkaClientOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamlearn generate series|text|xor}: synthetic streams with known anomalies, drift, or
 * (xor) a class boundary no line draws.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Sends synthetic data with known ground truth, for demos and tests.",
        subcommands = {
            GenerateCommand.Series.class,
            GenerateCommand.Text.class,
            GenerateCommand.Xor.class
        })
final class GenerateCommand {

    abstract static class Common implements Callable<Integer> {
        @Mixin BootstrapOption bootstrap;

        @Mixin KafkaClientOptions kafkaClient;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        PaceOptions pace = new PaceOptions();

        @Option(
                names = "--count",
                defaultValue = "10000",
                description = "Events to send (default: ${DEFAULT-VALUE}).")
        long count;

        @Option(
                names = "--seed",
                defaultValue = "1",
                description = "Same seed, same data (default: ${DEFAULT-VALUE}).")
        long seed;

        @Spec CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(
            name = "series",
            mixinStandardHelpOptions = true,
            description = "A daily cycle with noise, random spikes and a level shift.")
    static final class Series extends Common {
        @Option(
                names = "--series",
                defaultValue = "1",
                description = "How many series (default: ${DEFAULT-VALUE}).")
        int series;

        @Option(
                names = "--level-shift-at",
                defaultValue = "-1",
                description =
                        "Step of the level shift in each series; -1 for none (default: half of --count).")
        long levelShiftAt;

        @Override
        public Integer call() {
            KafkaConnection kafka = kafkaClient.connection(bootstrap.servers);
            KafkaAdmin.connect(kafka).close();
            long perSeries = Math.max(1, count / series);
            long shift = levelShiftAt >= 0 ? levelShiftAt : perSeries / 2;
            Pacer pacer = pace.pacer();
            LoadSummary summary;
            try (EventSender<SeriesPoint> sender = new EventSender<>(kafka, Topics.SERIES_POINTS);
                    ProgressDisplay progress = ProgressDisplay.on(out(), "Generating")) {
                SyntheticSeries[] generators = new SyntheticSeries[series];
                for (int s = 0; s < series; s++) {
                    generators[s] =
                            new SyntheticSeries("synthetic-" + (s + 1), seed + s, perSeries, shift);
                }
                long sent = 0;
                for (long t = 0; t < perSeries; t++) {
                    for (SyntheticSeries generator : generators) {
                        SeriesPoint point = generator.next().point();
                        pacer.awaitTurn(point.getEventTime());
                        sender.send(point.getSeriesId(), point);
                        progress.update(++sent, perSeries * series, 0);
                    }
                }
                summary = sender.finish();
            }
            out().printf("generated series: %s%n", summary); // below the closed progress bar
            return 0;
        }
    }

    @Command(
            name = "text",
            mixinStandardHelpOptions = true,
            description = "Labelled spam and ham whose spam vocabulary drifts at a known event.")
    static final class Text extends Common {
        @Option(
                names = "--drift-at",
                defaultValue = "-1",
                description = "Event at which spam drifts (default: half of --count).")
        long driftAt;

        @Override
        public Integer call() {
            KafkaConnection kafka = kafkaClient.connection(bootstrap.servers);
            KafkaAdmin.connect(kafka).close();
            Pacer pacer = pace.pacer();
            SyntheticText generator =
                    new SyntheticText(seed, count, driftAt >= 0 ? driftAt : count / 2);
            LoadSummary summary;
            try (EventSender<TextEvent> sender = new EventSender<>(kafka, Topics.TEXT_EVENTS);
                    ProgressDisplay progress = ProgressDisplay.on(out(), "Generating")) {
                long sent = 0;
                while (generator.hasNext()) {
                    TextEvent event = generator.next();
                    pacer.awaitTurn(event.getEventTime());
                    sender.send(event.getId(), event);
                    progress.update(++sent, count, 0);
                }
                summary = sender.finish();
            }
            out().printf("generated text: %s%n", summary);
            return 0;
        }
    }

    @Command(
            name = "xor",
            mixinStandardHelpOptions = true,
            description =
                    "Labelled noisy XOR points to vector-events: corners (+-1, +-1) plus Gaussian"
                            + " noise, 'same' where the signs agree, 'different' where not.")
    static final class Xor extends Common {
        @Option(
                names = "--noise",
                defaultValue = "0.3",
                description = "Standard deviation of the noise (default: ${DEFAULT-VALUE}).")
        double noise;

        @Override
        public Integer call() {
            SyntheticXor generator;
            try {
                generator = new SyntheticXor(seed, count, noise);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--noise: " + e.getMessage());
            }
            KafkaConnection kafka = kafkaClient.connection(bootstrap.servers);
            KafkaAdmin.connect(kafka).close();
            Pacer pacer = pace.pacer();
            LoadSummary summary;
            try (EventSender<VectorEvent> sender = new EventSender<>(kafka, Topics.VECTOR_EVENTS);
                    ProgressDisplay progress = ProgressDisplay.on(out(), "Generating")) {
                long sent = 0;
                while (generator.hasNext()) {
                    VectorEvent event = generator.next();
                    pacer.awaitTurn(event.getEventTime());
                    sender.send(event.getId(), event);
                    progress.update(++sent, count, 0);
                }
                summary = sender.finish();
            }
            out().printf("generated xor: %s%n", summary);
            return 0;
        }
    }
}
