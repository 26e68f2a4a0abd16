package dev.streamlearn.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * Guards the wire contract: every current value schema is a released one (kept under {@code
 * src/main/resources/avro/history}), and it can read data written by every earlier release. A
 * change that is not backward compatible fails the build here.
 */
class SchemaHistoryTest {
    private final SchemaCatalogue catalogue = SchemaCatalogue.classpath();

    @Test
    void everyCurrentSchemaIsKeptInTheHistoryFolder() {
        for (Topic<?, ?> topic : Topics.avro()) {
            Schema current = ((AvroSerde<?>) topic.valueSerde()).schema();

            assertThat(catalogue.byFingerprint(SchemaCatalogue.fingerprint(current)))
                    .as(
                            "%s: the current %s must be copied into avro/history/%s/vN.avsc (and INDEX)"
                                    + " when it is released",
                            topic, current.getName(), current.getName())
                    .isPresent();
        }
    }

    @Test
    void everyCurrentSchemaReadsEveryReleasedVersion() {
        for (Topic<?, ?> topic : Topics.avro()) {
            Schema current = ((AvroSerde<?>) topic.valueSerde()).schema();
            assertThat(catalogue.versionsOf(current.getFullName())).as(topic.name()).isNotEmpty();

            for (Schema released : catalogue.versionsOf(current.getFullName())) {
                var result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);

                assertThat(result.getType())
                        .as(
                                "%s: current %s cannot read a released version: %s",
                                topic, current.getName(), result.getResult().getIncompatibilities())
                        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            }
        }
    }

    @Test
    void anIncompatibleChangeIsDetected() {
        Schema released = catalogue.versionsOf("dev.streamlearn.schemas.avro.SeriesPoint").get(0);
        Schema withRequiredUnit =
                new Schema.Parser()
                        .parse(
                                released.toString()
                                        .replace(
                                                "\"fields\":[",
                                                "\"fields\":[{\"name\":\"unit\",\"type\":\"string\"},"));

        var result = SchemaCompatibility.checkReaderWriterCompatibility(withRequiredUnit, released);

        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }
}
