package dev.streamlearn.trainer.stream;

import dev.streamlearn.trainer.training.TrainingInput;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for the sealed {@link TrainingInput}. Flink's type extraction sees an
 * interface and would fall back to Kryo (refused in this job: {@code pipeline.generic-types} is
 * off); {@link TrainingInputSerializer} writes each variant's own fields behind a type byte.
 */
public final class TrainingInputTypeInfo extends TypeInformation<TrainingInput> {
    public static final TrainingInputTypeInfo INSTANCE = new TrainingInputTypeInfo();

    private TrainingInputTypeInfo() {}

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
    public Class<TrainingInput> getTypeClass() {
        return TrainingInput.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<TrainingInput> createSerializer(SerializerConfig config) {
        return TrainingInputSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "TrainingInput";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingInputTypeInfo;
    }

    @Override
    public int hashCode() {
        return TrainingInputTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof TrainingInputTypeInfo;
    }
}
