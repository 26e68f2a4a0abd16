package dev.streamlearn.ops.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.ingestion.file.FileRows;
import dev.streamlearn.ingestion.file.Mapped;
import dev.streamlearn.ingestion.file.VectorFieldMapping;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.VectorEvent;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class XorDatasetTest {

    @Test
    void theXorDataSetReplaysLabelledTwoFeatureVectorsToVectorEvents() throws Exception {
        Dataset<?> dataset = Dataset.parse("xor", Path.of("unused"));

        assertThat(dataset.name()).isEqualTo("xor");
        assertThat(dataset.topic()).isSameAs(Topics.VECTOR_EVENTS);
        try (FileRows rows = FileRows.open(dataset.file())) {
            Mapped<VectorEvent> first =
                    new VectorFieldMapping("id", List.of("x1-x2"), "label", null).map(rows.next());
            assertThat(first.isRejected()).isFalse();
            assertThat(first.value().getId()).isEqualTo("xor-0");
            assertThat(first.value().getFeatures()).hasSize(2);
            assertThat(first.value().getLabel()).isIn("same", "different");
        }
        // The same file the next time: a replay resumes where it stopped.
        assertThat(Dataset.parse("xor", Path.of("unused")).file()).isEqualTo(dataset.file());
    }
}
