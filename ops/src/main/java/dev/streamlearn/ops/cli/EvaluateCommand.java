package dev.streamlearn.ops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.ingestion.file.FileRow;
import dev.streamlearn.ingestion.file.FileRows;
import dev.streamlearn.ingestion.file.ImageFieldMapping;
import dev.streamlearn.ingestion.file.Mapped;
import dev.streamlearn.ingestion.file.SeriesFieldMapping;
import dev.streamlearn.ingestion.file.TextFieldMapping;
import dev.streamlearn.ingestion.file.VectorFieldMapping;
import dev.streamlearn.models.family.attention.AttentionTextFamily;
import dev.streamlearn.models.family.cnn.CnnClassifierFamily;
import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.mlp.MlpClassifierFamily;
import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.models.forecast.OnlineAutoRegression;
import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.trainer.evaluation.AttentionTextEvaluation;
import dev.streamlearn.trainer.evaluation.ImageEvaluation;
import dev.streamlearn.trainer.evaluation.SeriesBaselineOptions;
import dev.streamlearn.trainer.evaluation.SeriesEvaluation;
import dev.streamlearn.trainer.evaluation.TextEvaluation;
import dev.streamlearn.trainer.evaluation.VectorEvaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code streamlearn evaluate series|text|vector|image --file F}: replays a file in order through
 * the same learner and kernels as the pipeline, test-then-train, and prints one JSON object of
 * prequential metrics (model and baselines; for series: persistence, seasonal naive and online AR,
 * with MASE) on stdout. Logs go to stderr.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Offline prequential (test-then-train) replay of a CSV or JSON Lines file (gzipped or"
                    + " not): prints one JSON object with the model's and its baselines' metrics."
        },
        subcommands = {
            EvaluateCommand.Series.class,
            EvaluateCommand.Text.class,
            EvaluateCommand.Vector.class,
            EvaluateCommand.Image.class
        })
final class EvaluateCommand implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateCommand.class);

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "Missing the model family: evaluate series|text|vector|image --file F");
    }

    /** Options both families share. */
    abstract static class Common implements Callable<Integer> {
        @Option(
                names = "--file",
                required = true,
                paramLabel = "F",
                description = "CSV or JSON Lines file, optionally .gz.")
        Path file;

        @Option(
                names = "--spec",
                paramLabel = "NAME=VALUE",
                description =
                        "Override a hyper-parameter of the model spec (repeatable), e.g. --spec batchSize=16.")
        Map<String, String> overrides = new LinkedHashMap<>();

        @Option(
                names = "--max-rows",
                paramLabel = "N",
                description = "Stop after N rows (default: the whole file).")
        long maxRows = Long.MAX_VALUE;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        ModelSpec modelSpec(ModelFamily kind) {
            try {
                return ModelSpec.fromMap(kind, overrides);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--spec: " + e.getMessage());
            }
        }

        void print(Map<String, Object> report) throws IOException {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("file", file.toString());
            out.putAll(report);
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(finite(out)));
            spec.commandLine().getOut().flush();
        }
    }

    @Command(
            name = "series",
            mixinStandardHelpOptions = true,
            description = "Evaluate lstm-forecaster on time series.")
    static final class Series extends Common {
        @Mixin SeriesFieldOptions fields;

        @Option(
                names = "--anomaly-label-field",
                description =
                        "Field holding 1/0 (true/false) anomaly labels: reports the ROC AUC of the anomaly score.")
        String anomalyLabelField;

        @Option(
                names = "--season",
                paramLabel = "N",
                description =
                        "Season of the seasonal naive baseline, in points (e.g. 7 for daily data, 48"
                                + " for half-hourly); default: detected per series from its first"
                                + " points, 1 (persistence) when none is clear.")
        Integer season;

        @Option(
                names = "--ar-order",
                paramLabel = "P",
                description = "Order of the AR baseline (default: the spec's window).")
        Integer arOrder;

        @Option(
                names = "--ar-forgetting",
                paramLabel = "L",
                description =
                        "Forgetting factor of the AR baseline's recursive least squares, in (0, 1]"
                                + " (default: ${DEFAULT-VALUE}, every point weighs the same).")
        double arForgetting = OnlineAutoRegression.DEFAULT_FORGETTING;

        @Override
        public Integer call() throws IOException {
            ModelSpec modelSpec = modelSpec(LstmForecasterFamily.INSTANCE);
            SeriesFieldMapping mapping = fields.mapping(file);
            SeriesEvaluation evaluation =
                    new SeriesEvaluation(modelSpec, baselineOptions(modelSpec));
            LOG.info("evaluating {} on {}", modelSpec, file);
            long rows = 0;
            try (FileRows it = FileRows.open(file)) {
                while (it.hasNext() && rows++ < maxRows) {
                    FileRow row = it.next();
                    Mapped<SeriesPoint> m = mapping.map(row);
                    if (m.isRejected()) {
                        evaluation.rejectRow(m.rejection().toString());
                        continue;
                    }
                    Boolean anomaly = null;
                    if (anomalyLabelField != null) {
                        String text = row.fields().get(anomalyLabelField);
                        anomaly = parseFlag(text);
                        if (anomaly == null) {
                            evaluation.rejectRow(
                                    row.reject(
                                                    "anomaly label field '"
                                                            + anomalyLabelField
                                                            + "' = '"
                                                            + text
                                                            + "', expected 1/0 or true/false")
                                            .toString());
                            continue;
                        }
                    }
                    evaluation.accept(m.value(), anomaly);
                    logProgress(rows);
                }
            }
            print(evaluation.report());
            return 0;
        }

        private SeriesBaselineOptions baselineOptions(ModelSpec modelSpec) {
            SeriesBaselineOptions defaults = SeriesBaselineOptions.defaults(modelSpec);
            if (season != null && season < 1) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--season: " + season + ", expected >= 1");
            }
            try {
                return new SeriesBaselineOptions(
                        season == null ? 0 : season,
                        arOrder == null ? defaults.arOrder() : arOrder,
                        arForgetting);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        private static Boolean parseFlag(String text) {
            if (text == null) {
                return null;
            }
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "1", "true", "yes" -> true;
                case "0", "false", "no" -> false;
                default -> null;
            };
        }
    }

    @Command(
            name = "text",
            mixinStandardHelpOptions = true,
            description =
                    "Evaluate text-classifier (or, with --model attention,"
                            + " attention-text-classifier) on labelled texts.")
    static final class Text extends Common {
        @Mixin TextFieldOptions fields;

        @Option(
                names = "--model",
                paramLabel = "M",
                description =
                        "text (text-classifier, the embedding bag; default) or attention"
                                + " (attention-text-classifier); --spec names the chosen one's"
                                + " hyper-parameters.")
        String model = "text";

        @Option(
                names = "--max-labels",
                description =
                        "Output slots to start with (the spec's maxLabels, default 8); labels are"
                                + " learned as they appear, the slots doubling when full, up to 4096.")
        Integer maxLabels;

        @Override
        public Integer call() throws IOException {
            if (maxLabels != null) {
                overrides.put("maxLabels", String.valueOf(maxLabels));
            }
            ModelSpec modelSpec;
            Consumer<TextEvent> accept;
            Consumer<String> reject;
            Supplier<Map<String, Object>> report;
            switch (model) {
                case "text" -> {
                    modelSpec = modelSpec(TextClassifierFamily.INSTANCE);
                    TextEvaluation evaluation = new TextEvaluation(modelSpec);
                    accept = evaluation::accept;
                    reject = evaluation::rejectRow;
                    report = evaluation::report;
                }
                case "attention" -> {
                    modelSpec = modelSpec(AttentionTextFamily.INSTANCE);
                    AttentionTextEvaluation evaluation = new AttentionTextEvaluation(modelSpec);
                    accept = evaluation::accept;
                    reject = evaluation::rejectRow;
                    report = evaluation::report;
                }
                default ->
                        throw new CommandLine.ParameterException(
                                spec.commandLine(),
                                "--model " + model + ": expected text or attention");
            }
            TextFieldMapping mapping = fields.mapping();
            LOG.info("evaluating {} on {}", modelSpec, file);
            long rows = 0;
            try (FileRows it = FileRows.open(file)) {
                while (it.hasNext() && rows++ < maxRows) {
                    Mapped<TextEvent> m = mapping.map(it.next());
                    if (m.isRejected()) {
                        reject.accept(m.rejection().toString());
                        continue;
                    }
                    accept.accept(m.value());
                    logProgress(rows);
                }
            }
            print(report.get());
            return 0;
        }
    }

    @Command(
            name = "vector",
            mixinStandardHelpOptions = true,
            description =
                    "Evaluate mlp-classifier on labelled feature vectors, beside an online logistic"
                            + " regression and the majority class (accuracy over all, fading and"
                            + " the last 1,000 events).")
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
            if (!overrides.containsKey("inputs")) {
                overrides.put("inputs", String.valueOf(mapping.size()));
            }
            ModelSpec modelSpec = modelSpec(MlpClassifierFamily.INSTANCE);
            VectorEvaluation evaluation = new VectorEvaluation(modelSpec);
            LOG.info("evaluating {} on {}", modelSpec, file);
            long rows = 0;
            try (FileRows it = FileRows.open(file)) {
                while (it.hasNext() && rows++ < maxRows) {
                    Mapped<VectorEvent> m = mapping.map(it.next());
                    if (m.isRejected()) {
                        evaluation.rejectRow(m.rejection().toString());
                        continue;
                    }
                    evaluation.accept(m.value());
                    logProgress(rows);
                }
            }
            print(evaluation.report());
            return 0;
        }
    }

    @Command(
            name = "image",
            mixinStandardHelpOptions = true,
            description =
                    "Evaluate cnn-classifier on labelled images (rows of pixel values), beside an"
                            + " mlp-classifier on the same pixels, an online logistic regression"
                            + " and the majority class (accuracy over all, fading and the last"
                            + " 1,000 images), e.g. datasets/mnist-8k.csv.gz with --width 28"
                            + " --height 28.")
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
            overrides.putIfAbsent("width", String.valueOf(fields.width));
            overrides.putIfAbsent("height", String.valueOf(fields.height));
            overrides.putIfAbsent("channels", String.valueOf(fields.channels));
            ModelSpec modelSpec = modelSpec(CnnClassifierFamily.INSTANCE);
            ImageEvaluation evaluation = new ImageEvaluation(modelSpec);
            LOG.info("evaluating {} on {}", modelSpec, file);
            long rows = 0;
            try (FileRows it = FileRows.open(file)) {
                while (it.hasNext() && rows++ < maxRows) {
                    Mapped<ImageEvent> m = mapping.map(it.next());
                    if (m.isRejected()) {
                        evaluation.rejectRow(m.rejection().toString());
                        continue;
                    }
                    evaluation.accept(m.value());
                    logProgress(rows);
                }
            }
            print(evaluation.report());
            return 0;
        }
    }

    private static void logProgress(long rows) {
        if (rows % 1000 == 0) {
            LOG.info("{} rows", rows);
        }
    }

    /** JSON has no NaN or infinity: such values (e.g. an AUC without positives) become null. */
    @SuppressWarnings("unchecked")
    static Object finite(Object value) {
        if (value instanceof Double d) {
            return Double.isFinite(d) ? d : null;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> out.put(k, finite(v)));
            return out;
        }
        return value;
    }
}
