package dev.streamlearn.ops.bench;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Fills {@code model-versions} for timing registry reads ({@code streamlearn models list|show})
 * against a long topic: N versions of each default model, as the trainer would publish them (a
 * default text-classifier version is about 4 MB). Sends to 127.0.0.1 only, then exits. See
 * BENCHMARKS.md, "Registry reads".
 *
 * <p>{@code java -cp ... dev.streamlearn.ops.bench.RegistryReadBench 127.0.0.1:PORT N}
 */
public final class RegistryReadBench {
    private RegistryReadBench() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        if (!bootstrap.startsWith("127.0.0.1:")) {
            throw new IllegalArgumentException("expected a broker on 127.0.0.1, got " + bootstrap);
        }
        int count = Integer.parseInt(args[1]);
        ModelWeights text =
                random(TextClassifierSpec.defaults().with(TextClassifierSpec.LABELS, "ham,spam"));
        ModelWeights series = random(LstmForecasterSpec.defaults());
        try (KafkaProducer<String, ModelVersion> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                Topics.MODEL_VERSION_MAX_BYTES),
                        Topics.MODEL_VERSIONS.keySerde().serializer(),
                        Topics.MODEL_VERSIONS.valueSerde().serializer())) {
            for (long v = 1; v <= count; v++) {
                send(producer, "text-classifier", text, v);
                send(producer, "lstm-forecaster", series, v);
            }
            producer.flush();
        }
        System.out.println("published " + count + " versions of each default model");
    }

    private static void send(
            KafkaProducer<String, ModelVersion> producer,
            String model,
            ModelWeights weights,
            long v)
            throws Exception {
        ModelVersion version =
                VersionContract.build(
                        weights,
                        new Provenance(model, v, v - 1, v * 8, Map.of(), List.of(), Instant.now()));
        producer.send(new ProducerRecord<>(Topics.MODEL_VERSIONS.name(), model, version)).get();
    }

    private static ModelWeights random(ModelSpec spec) {
        float[] params = new float[ParameterLayout.of(spec).size()];
        Random random = new Random(42);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.05);
        }
        return new ModelWeights(spec, params);
    }
}
