package dev.streamlearn.scorer.gate;

import dev.streamlearn.models.family.lstm.LstmForecasterModel;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.gate.Losses;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.GateEvent;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.serde.ByteBuffers;
import dev.streamlearn.scorer.registry.LiveRegistry;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A forecaster version's loss on a series point: the absolute error of its forecast of the point
 * from the values before it, scaled by their mean absolute step ({@link
 * Losses#scaledAbsoluteError}). Every point is the label of the forecast before it. The gate keeps
 * its own last values per series (in a changelogged store), as many as the widest window of the
 * versions it scores, so each version forecasts from its own window. The baseline is persistence
 * (the last value as the forecast), scaled alike.
 */
final class SeriesShadow implements Shadow {
    /** Values kept per series at most, whatever the versions' windows. */
    static final int MAX_KEPT = 4_096;

    private final Kernels<LstmForecasterModel> kernels;
    private final KeyValueStore<String, byte[]> windows;

    SeriesShadow(LiveRegistry registry, KeyValueStore<String, byte[]> windows) {
        this.kernels = new Kernels<>(registry, LstmForecasterModel::new);
        this.windows = windows;
    }

    @Override
    public String baseline() {
        return "persistence";
    }

    @Override
    public double[] losses(String model, GateEvent event, long[] versions) {
        SeriesPoint point;
        try {
            point =
                    Topics.SERIES_POINTS
                            .valueSerde()
                            .deserializer()
                            .deserialize(
                                    Topics.SERIES_POINTS.name(),
                                    ByteBuffers.copyOf(event.getValue()));
        } catch (RuntimeException unreadable) {
            return null;
        }
        if (point == null || !Double.isFinite(point.getValue())) {
            return null;
        }
        String key = model + "\u0000" + point.getSeriesId();
        double[] before = decode(windows.get(key));
        int widest = 0;
        LstmForecasterModel[] models = new LstmForecasterModel[versions.length];
        for (int i = 0; i < versions.length; i++) {
            models[i] = kernels.of(model, versions[i]);
            if (models[i] != null) {
                widest = Math.max(widest, window(models[i]));
            }
        }
        kernels.retain(model, Shadows.keep(versions));
        double[] losses = null;
        if (widest > 0 && before.length >= widest) {
            losses = new double[versions.length + 1];
            losses[versions.length] = Losses.persistenceError(point.getValue(), before);
            for (int i = 0; i < versions.length; i++) {
                LstmForecasterModel m = models[i];
                losses[i] =
                        m == null
                                ? Double.NaN
                                : Losses.scaledAbsoluteError(
                                        m.forecast(before, before.length - window(m)),
                                        point.getValue(),
                                        before);
            }
        }
        // Without a kernel to say how wide, keep everything (up to the cap) until one is known.
        int keep = Math.min(MAX_KEPT, widest == 0 ? before.length + 1 : widest);
        double[] after =
                Arrays.copyOfRange(
                        before, Math.max(0, before.length + 1 - keep), before.length + 1);
        after[after.length - 1] = point.getValue();
        windows.put(key, encode(after));
        return losses;
    }

    private static int window(LstmForecasterModel model) {
        return model.weights().spec().get(LstmForecasterSpec.WINDOW);
    }

    private static double[] decode(byte[] bytes) {
        if (bytes == null) {
            return new double[0];
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        double[] values = new double[bytes.length / Double.BYTES];
        buffer.asDoubleBuffer().get(values);
        return values;
    }

    private static byte[] encode(double[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES);
        buffer.asDoubleBuffer().put(values);
        return buffer.array();
    }
}
