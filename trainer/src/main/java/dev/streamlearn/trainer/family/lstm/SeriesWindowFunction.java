package dev.streamlearn.trainer.family.lstm;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.family.lstm.SeriesWindows;
import dev.streamlearn.models.forecast.OnlineAutoRegression;
import dev.streamlearn.models.forecast.SeriesBaselines;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by series id: keeps the last points of the series (W, or with seasons the longest season
 * and one more: {@code LstmForecasterSpec.history}) and turns each new point into a training
 * example (the W points before it, normalised with the {@code models} featurizer, and the seasonal
 * inputs from the points before those, → the point). Until W points were seen a point only reports
 * its position. A series that has been silent for the idle timeout (processing time) has its state
 * dropped by a timer, so series that stopped reporting do not accumulate.
 */
public final class SeriesWindowFunction
        extends KeyedProcessFunction<String, TrainingInput, TrainingInput> {
    public static final String HISTORY_STATE = "last-points";
    public static final String TIMER_STATE = "idle-timer";
    public static final String BASELINES_STATE = "baselines";

    private final ModelDefinition model;
    private final long idleMillis;
    private transient SeriesWindows windows;
    private transient int kept;
    private transient ValueState<double[]> history;
    private transient ValueState<Long> idleTimer;
    private transient ValueState<double[]> baselines;
    private transient int arOrder;

    public SeriesWindowFunction(ModelDefinition model, TrainingOptions options) {
        this.model = model;
        this.idleMillis = options.seriesIdleTimeout().toMillis();
    }

    @Override
    public void open(OpenContext context) {
        ModelSpec spec = model.modelSpec();
        windows = new SeriesWindows(spec);
        kept = LstmForecasterSpec.history(spec);
        history =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        HISTORY_STATE,
                                        PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
        idleTimer =
                getRuntimeContext().getState(new ValueStateDescriptor<>(TIMER_STATE, Types.LONG));
        baselines =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        BASELINES_STATE,
                                        PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
        arOrder = spec.get(LstmForecasterSpec.WINDOW);
    }

    @Override
    public void processElement(TrainingInput in, Context ctx, Collector<TrainingInput> out)
            throws Exception {
        // Only decoded points are keyed here (DecodeSeries sends refused ones past the windows).
        TrainingInput.SeriesPoint point = (TrainingInput.SeriesPoint) in;
        double[] last = history.value();
        if (last == null) {
            last = new double[0];
        }
        // The baselines `evaluate series` reports, kept per series here so that the trainer's
        // test-then-train scores them on exactly the points it scores the model on.
        double[] saved = baselines.value();
        SeriesBaselines series =
                saved == null
                        // As evaluate's defaults: AR(window), every point weighing the same, the
                        // season detected.
                        ? new SeriesBaselines(arOrder, OnlineAutoRegression.DEFAULT_FORGETTING, 0)
                        : SeriesBaselines.restore(saved);
        SeriesBaselines.Forecasts forecasts = series.forecastNext();
        series.observe(point.point());
        baselines.update(series.save());
        int w = windows.window();
        if (last.length >= w) {
            NormalisedWindow window = windows.normalise(last, last.length - w);
            out.collect(
                    point.withWindow(
                            window, forecasts.seasonalNaive(), forecasts.autoRegression()));
        } else {
            out.collect(point.positionOnly());
        }
        // A state kept under another spec's history length is cut or grows to this one's.
        int carried = Math.min(last.length, kept - 1);
        double[] next = new double[carried + 1];
        System.arraycopy(last, last.length - carried, next, 0, carried);
        next[carried] = point.point();
        history.update(next);
        rearmIdleTimer(ctx);
    }

    private void rearmIdleTimer(Context ctx) throws Exception {
        Long previous = idleTimer.value();
        if (previous != null) {
            ctx.timerService().deleteProcessingTimeTimer(previous);
        }
        long at = ctx.timerService().currentProcessingTime() + idleMillis;
        ctx.timerService().registerProcessingTimeTimer(at);
        idleTimer.update(at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrainingInput> out) {
        history.clear();
        idleTimer.clear();
        baselines.clear();
    }
}
