package dev.streamlearn.trainer.stream;

import dev.streamlearn.schemas.serde.AvroSerde;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink type information for an Avro record of the {@code schemas} module, serialized with the same
 * single-object encoding as on Kafka ({@link AvroSerde}). Without it Flink would fall back to Kryo
 * for Avro classes, which neither copies their buffers safely nor evolves with their schemas.
 *
 * @param <T> the Avro record class
 */
public final class AvroTypeInfo<T extends SpecificRecord> extends TypeInformation<T> {
    private final Class<T> type;

    public AvroTypeInfo(Class<T> type) {
        this.type = Objects.requireNonNull(type);
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new AvroRecordSerializer<>(type);
    }

    @Override
    public String toString() {
        return "Avro<" + type.getSimpleName() + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AvroTypeInfo<?> other && other.type.equals(type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof AvroTypeInfo;
    }

    /** Length-prefixed single-object Avro bytes; readers resolve older writer schemas. */
    static final class AvroRecordSerializer<T extends SpecificRecord> extends TypeSerializer<T> {
        private final Class<T> type;
        private transient AvroSerde<T> serde;

        AvroRecordSerializer(Class<T> type) {
            this.type = type;
        }

        private AvroSerde<T> serde() {
            if (serde == null) {
                serde = AvroSerde.of(type);
            }
            return serde;
        }

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public TypeSerializer<T> duplicate() {
            // The serde's encoder and decoder are not thread-safe: each user gets its own.
            return new AvroRecordSerializer<>(type);
        }

        @Override
        public T createInstance() {
            return null;
        }

        @Override
        public T copy(T from) {
            return from == null
                    ? null
                    : serde().deserialize("copy", serde().serialize("copy", from));
        }

        @Override
        public T copy(T from, T reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(T record, DataOutputView target) throws IOException {
            byte[] bytes = serde().serialize("flink-state", record);
            target.writeInt(bytes.length);
            target.write(bytes);
        }

        @Override
        public T deserialize(DataInputView source) throws IOException {
            byte[] bytes = new byte[source.readInt()];
            source.readFully(bytes);
            return serde().deserialize("flink-state", bytes);
        }

        @Override
        public T deserialize(T reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            int length = source.readInt();
            target.writeInt(length);
            target.write(source, length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AvroRecordSerializer<?> other && other.type.equals(type);
        }

        @Override
        public int hashCode() {
            return type.hashCode();
        }

        @Override
        public TypeSerializerSnapshot<T> snapshotConfiguration() {
            return new Snapshot<>(type);
        }
    }

    /** Remembers the record class; schema evolution is the single-object encoding's job. */
    public static final class Snapshot<T extends SpecificRecord>
            implements TypeSerializerSnapshot<T> {
        private Class<T> type;

        /** For Flink, which restores snapshots reflectively. */
        public Snapshot() {}

        Snapshot(Class<T> type) {
            this.type = type;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(type.getName());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void readSnapshot(int version, DataInputView in, ClassLoader loader)
                throws IOException {
            String name = in.readUTF();
            try {
                type = (Class<T>) Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                throw new IOException("Avro record class " + name + " of a snapshot is gone", e);
            }
        }

        @Override
        public TypeSerializer<T> restoreSerializer() {
            return new AvroRecordSerializer<>(type);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
                TypeSerializerSnapshot<T> old) {
            return old instanceof Snapshot<?> s && s.type.equals(type)
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
