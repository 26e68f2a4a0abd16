package dev.streamlearn.trainer.job;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The online training job (DESIGN.md, "Data path"): series points are windowed per series, labelled
 * texts become examples, each model's learner is keyed by the model name, and every published
 * version, its training metrics and every refused record go to the given sinks.
 *
 * <pre>
 * series source → decode → keyBy(series id) → last W points ─┐
 * text source   → decode ─────────────────────────────────────┴→ keyBy(model) → learner → versions
 *                   └─ dead letters ──────────────────────────────────────────────┴─ metrics, dead letters
 * </pre>
 *
 * Sources and sinks are arguments ({@link TrainingInputs}, {@link TrainingSinks}) so tests can wire
 * their own; every stateful operator has a stable uid so state survives changes to the job.
 */
public final class TrainingJob {
    static final TypeInformation<TrainingInput> INPUT_TYPE =
            TypeInformation.of(TrainingInput.class);

    private final List<ModelDefinition> models;
    private final TrainingOptions options;

    /**
     * @param models at most one model per kind: the series model learns from every series point,
     *     the text model from every labelled text
     */
    public TrainingJob(List<ModelDefinition> models, TrainingOptions options) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("the training job needs at least one model");
        }
        for (ModelFamily kind : ModelFamilies.all()) {
            if (models.stream().filter(m -> m.kind() == kind).count() > 1) {
                throw new IllegalArgumentException(
                        "one " + kind.id() + " model per job, got " + models);
            }
        }
        if (models.stream().map(ModelDefinition::name).distinct().count() != models.size()) {
            throw new IllegalArgumentException("model names must be distinct: " + models);
        }
        this.models = List.copyOf(models);
        this.options = options;
    }

    public List<ModelDefinition> models() {
        return models;
    }

    /** Adds the job to {@code env}. */
    public void build(StreamExecutionEnvironment env, TrainingInputs inputs, TrainingSinks sinks) {
        List<DataStream<TrainingInput>> toLearner = new ArrayList<>();
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();

        model(LstmForecasterFamily.INSTANCE)
                .ifPresent(
                        model -> {
                            SingleOutputStreamOperator<TrainingInput> points =
                                    inputs.seriesPoints(env)
                                            .process(new DecodeSeries(model.name()), INPUT_TYPE)
                                            .uid("decode-series-points")
                                            .name("decode series points");
                            toLearner.add(
                                    points.keyBy(new BySeries())
                                            .process(
                                                    new SeriesWindowFunction(model, options),
                                                    INPUT_TYPE)
                                            .uid("series-windows")
                                            .name("last W points per series"));
                            toLearner.add(points.getSideOutput(DecodeSeries.CONSUMED));
                            deadLetters.add(points.getSideOutput(DeadLetters.TAG));
                        });
        model(TextClassifierFamily.INSTANCE)
                .ifPresent(
                        model -> {
                            SingleOutputStreamOperator<TrainingInput> texts =
                                    inputs.textEvents(env)
                                            .process(new DecodeText(model.name()), INPUT_TYPE)
                                            .uid("decode-text-events")
                                            .name("decode text events");
                            toLearner.add(texts);
                            deadLetters.add(texts.getSideOutput(DeadLetters.TAG));
                        });

        SingleOutputStreamOperator<ModelVersion> versions =
                union(toLearner)
                        .keyBy(new ByModel())
                        .transform(
                                "learn and publish",
                                new AvroTypeInfo<>(ModelVersion.class),
                                new LearnerOperator(models, options))
                        .uid("learner");
        deadLetters.add(versions.getSideOutput(DeadLetters.TAG));

        versions.sinkTo(sinks.modelVersions()).uid("model-versions-sink").name("model-versions");
        versions.getSideOutput(LearnerOperator.METRICS)
                .sinkTo(sinks.trainingMetrics())
                .uid("training-metrics-sink")
                .name("training-metrics");
        union(deadLetters)
                .sinkTo(sinks.deadLetters())
                .uid("dead-letters-sink")
                .name("dead-letters");
    }

    private Optional<ModelDefinition> model(ModelFamily kind) {
        return models.stream().filter(m -> m.kind() == kind).findFirst();
    }

    @SuppressWarnings("unchecked")
    private static <T> DataStream<T> union(List<DataStream<T>> streams) {
        DataStream<T> first = streams.get(0);
        return streams.size() == 1
                ? first
                : first.union(streams.subList(1, streams.size()).toArray(new DataStream[0]));
    }

    /** Series points are windowed per series. */
    static final class BySeries implements KeySelector<TrainingInput, String> {
        @Override
        public String getKey(TrainingInput in) {
            return in.id();
        }
    }

    /** Each model has one learner. */
    static final class ByModel implements KeySelector<TrainingInput, String> {
        @Override
        public String getKey(TrainingInput in) {
            return in.model();
        }
    }
}
