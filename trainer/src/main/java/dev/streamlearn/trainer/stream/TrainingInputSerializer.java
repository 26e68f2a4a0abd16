package dev.streamlearn.trainer.stream;

import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.training.TrainingInput;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes a {@link TrainingInput} between operators: a type byte, the model and record origin, then
 * only the fields of its variant. Inputs are never kept in state, so this format binds no
 * checkpoint.
 */
public final class TrainingInputSerializer extends TypeSerializerSingleton<TrainingInput> {
    public static final TrainingInputSerializer INSTANCE = new TrainingInputSerializer();

    private static final byte SERIES_POINT = 0;
    private static final byte SERIES_EXAMPLE = 1;
    private static final byte TEXT_EXAMPLE = 2;
    private static final byte CONSUMED = 3;
    private static final byte VECTOR_EXAMPLE = 4;
    private static final byte IMAGE_EXAMPLE = 5;

    @Override
    public boolean isImmutableType() {
        // Records whose arrays no operator writes to once built.
        return true;
    }

    @Override
    public TrainingInput createInstance() {
        return null;
    }

    @Override
    public TrainingInput copy(TrainingInput from) {
        return from;
    }

    @Override
    public TrainingInput copy(TrainingInput from, TrainingInput reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(TrainingInput in, DataOutputView out) throws IOException {
        if (in instanceof TrainingInput.SeriesPoint p) {
            head(SERIES_POINT, p, out);
            StringValue.writeString(p.id(), out);
            out.writeLong(p.eventTime());
            out.writeDouble(p.point());
        } else if (in instanceof TrainingInput.SeriesExample x) {
            head(SERIES_EXAMPLE, x, out);
            StringValue.writeString(x.id(), out);
            out.writeLong(x.eventTime());
            out.writeDouble(x.point());
            writeFloats(x.window(), out);
            out.writeDouble(x.windowLast());
            out.writeDouble(x.windowScale());
            writeFloats(x.seasonal(), out);
            out.writeDouble(x.seasonalNaive());
            out.writeDouble(x.autoRegression());
        } else if (in instanceof TrainingInput.TextExample t) {
            head(TEXT_EXAMPLE, t, out);
            StringValue.writeString(t.id(), out);
            out.writeLong(t.eventTime());
            StringValue.writeString(t.text(), out);
            StringValue.writeString(t.label(), out);
        } else if (in instanceof TrainingInput.VectorExample v) {
            head(VECTOR_EXAMPLE, v, out);
            StringValue.writeString(v.id(), out);
            out.writeLong(v.eventTime());
            out.writeInt(v.features().length);
            for (double f : v.features()) {
                out.writeDouble(f);
            }
            StringValue.writeString(v.label(), out);
        } else if (in instanceof TrainingInput.ImageExample x) {
            head(IMAGE_EXAMPLE, x, out);
            StringValue.writeString(x.id(), out);
            out.writeLong(x.eventTime());
            out.writeInt(x.width());
            out.writeInt(x.height());
            out.writeInt(x.channels());
            writeBytes(x.pixels(), out);
            StringValue.writeString(x.label(), out);
        } else {
            head(CONSUMED, in, out);
        }
    }

    @Override
    public TrainingInput deserialize(DataInputView in) throws IOException {
        byte type = in.readByte();
        String model = StringValue.readString(in);
        RecordOrigin origin = readOrigin(in);
        return switch (type) {
            case SERIES_POINT ->
                    new TrainingInput.SeriesPoint(
                            model,
                            origin,
                            StringValue.readString(in),
                            in.readLong(),
                            in.readDouble());
            case SERIES_EXAMPLE -> {
                String id = StringValue.readString(in);
                long eventTime = in.readLong();
                double point = in.readDouble();
                float[] window = readFloats(in);
                double last = in.readDouble();
                double scale = in.readDouble();
                float[] seasonal = readFloats(in);
                yield new TrainingInput.SeriesExample(
                        model,
                        origin,
                        id,
                        eventTime,
                        point,
                        window,
                        last,
                        scale,
                        seasonal,
                        in.readDouble(),
                        in.readDouble());
            }
            case TEXT_EXAMPLE ->
                    new TrainingInput.TextExample(
                            model,
                            origin,
                            StringValue.readString(in),
                            in.readLong(),
                            StringValue.readString(in),
                            StringValue.readString(in));
            case VECTOR_EXAMPLE -> {
                String id = StringValue.readString(in);
                long eventTime = in.readLong();
                double[] features = new double[in.readInt()];
                for (int i = 0; i < features.length; i++) {
                    features[i] = in.readDouble();
                }
                yield new TrainingInput.VectorExample(
                        model, origin, id, eventTime, features, StringValue.readString(in));
            }
            case IMAGE_EXAMPLE -> {
                String id = StringValue.readString(in);
                long eventTime = in.readLong();
                int width = in.readInt();
                int height = in.readInt();
                int channels = in.readInt();
                byte[] pixels = readBytes(in);
                yield new TrainingInput.ImageExample(
                        model,
                        origin,
                        id,
                        eventTime,
                        width,
                        height,
                        channels,
                        pixels,
                        StringValue.readString(in));
            }
            case CONSUMED -> new TrainingInput.Consumed(model, origin);
            default -> throw new IOException("unknown training input type " + type);
        };
    }

    private static void writeFloats(float[] values, DataOutputView out) throws IOException {
        out.writeInt(values.length);
        for (float f : values) {
            out.writeInt(Float.floatToRawIntBits(f));
        }
    }

    private static float[] readFloats(DataInputView in) throws IOException {
        float[] values = new float[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(in.readInt());
        }
        return values;
    }

    @Override
    public TrainingInput deserialize(TrainingInput reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<TrainingInput> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No parameters. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TrainingInput> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    private static void head(byte type, TrainingInput in, DataOutputView out) throws IOException {
        out.writeByte(type);
        StringValue.writeString(in.model(), out);
        RecordOrigin o = in.origin();
        StringValue.writeString(o.topic(), out);
        out.writeInt(o.partition());
        out.writeLong(o.offset());
        out.writeLong(o.timestamp());
        writeBytes(o.key(), out);
        writeBytes(o.value(), out);
    }

    private static RecordOrigin readOrigin(DataInputView in) throws IOException {
        return new RecordOrigin(
                StringValue.readString(in),
                in.readInt(),
                in.readLong(),
                in.readLong(),
                readBytes(in),
                readBytes(in));
    }

    private static void writeBytes(byte[] bytes, DataOutputView out) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
