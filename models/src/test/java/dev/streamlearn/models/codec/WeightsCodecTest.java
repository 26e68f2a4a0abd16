package dev.streamlearn.models.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.codec.WeightsFormatException.Check;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class WeightsCodecTest {
    /** Encoded by format version 1; must keep decoding to exactly {@link #goldenWeights()}. */
    static final String GOLDEN = "/golden/lstm-forecaster-format1.weights";

    /**
     * A tiny forecaster whose parameter i is {@code (i - 20) / 8}, of the LSTM alone and with the
     * learning rate and anomaly clip that were the defaults when the file was written.
     */
    static ModelWeights goldenWeights() {
        ModelSpec spec =
                LstmForecasterSpec.defaults()
                        .with(LstmForecasterSpec.WINDOW, 4)
                        .with(LstmForecasterSpec.HIDDEN_SIZE, 2)
                        .with(LstmForecasterSpec.LEARNING_RATE, 0.01)
                        .with(LstmForecasterSpec.ANOMALY_CLIP, 3.0)
                        .with(LstmForecasterSpec.STRUCTURE, LstmForecasterSpec.LSTM_ONLY);
        float[] params = new float[ParameterLayout.of(spec).size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (i - 20) / 8f;
        }
        return new ModelWeights(spec, params);
    }

    @Test
    void theGoldenFileOfFormatVersion1StillDecodes() throws Exception {
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream(GOLDEN)) {
            assertThat(in).as("test resource " + GOLDEN).isNotNull();
            golden = in.readAllBytes();
        }
        assertThat(WeightsCodec.decode(golden)).isEqualTo(goldenWeights());
        // Re-encoding gave these very bytes until lstm-forecaster's spec gained `engine` (issue
        // 14): a spec is encoded with all its parameters, so today's encoding also names the
        // engine (and since issue 16 its structure, seasons and linear prior). The file written
        // before stays readable, which is what this test guards: it names no structure, so it
        // decodes as the LSTM alone (LstmForecasterFamily.storedSpec), which is what it is.
        byte[] today = WeightsCodec.encode(goldenWeights());
        int added =
                "engine fast structure lstm seasons none linearPrior 10.0".replace(" ", "").length()
                        + 4 * 4;
        assertThat(today).hasSize(golden.length + added);
        assertThat(WeightsCodec.decode(today)).isEqualTo(goldenWeights());
    }

    @Test
    void encodingThenDecodingGivesTheSameWeights() throws Exception {
        ModelWeights w = goldenWeights();
        assertThat(WeightsCodec.decode(WeightsCodec.encode(w))).isEqualTo(w);
    }

    @Test
    void theChecksumIsTheSha256OfTheParametersAsStored() {
        byte[] encoded = WeightsCodec.encode(goldenWeights());
        String stored =
                java.util.HexFormat.of()
                        .formatHex(
                                Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
        assertThat(WeightsCodec.sha256Hex(goldenWeights().params())).isEqualTo(stored).hasSize(64);
    }

    @Test
    void aFlippedParameterBitFailsTheChecksum() {
        byte[] encoded = WeightsCodec.encode(goldenWeights());
        encoded[encoded.length - 40] ^= 1;
        assertFails(() -> WeightsCodec.decode(encoded), Check.CHECKSUM);
    }

    @Test
    void otherBytesFailTheMagicCheck() {
        assertFails(() -> WeightsCodec.decode("not weights at all".getBytes()), Check.MAGIC);
    }

    @Test
    void aNewerFormatVersionIsRefusedByName() {
        byte[] encoded = WeightsCodec.encode(goldenWeights());
        encoded[7] = 3;
        assertThatThrownBy(() -> WeightsCodec.decode(encoded))
                .hasMessageContaining("format version 3 is not supported");
    }

    @Test
    void truncatedBytesFailTheStructureCheck() {
        byte[] encoded = WeightsCodec.encode(goldenWeights());
        assertFails(
                () -> WeightsCodec.decode(Arrays.copyOf(encoded, encoded.length - 5)),
                Check.STRUCTURE);
        assertFails(() -> WeightsCodec.decode(Arrays.copyOf(encoded, 20)), Check.STRUCTURE);
    }

    @Test
    void parametersThatDoNotMatchTheSpecFailTheCountCheck() {
        // Re-encode with a spec of a different hidden size but the same parameters.
        byte[] encoded = WeightsCodec.encode(goldenWeights());
        byte[] patched = replace(encoded, "hiddenSize\0\u00012", "hiddenSize\0\u00013");
        assertFails(() -> WeightsCodec.decode(patched), Check.PARAMETER_COUNT);
    }

    @Test
    void anInvalidSpecFailsTheSpecCheck() {
        byte[] patched =
                replace(
                        WeightsCodec.encode(goldenWeights()),
                        "hiddenSize\0\u00012",
                        "hiddenSize\0\u00010");
        assertFails(() -> WeightsCodec.decode(patched), Check.SPEC);
    }

    @Test
    void aNonFiniteParameterWithAValidChecksumFailsTheFiniteCheck() {
        float[] params = goldenWeights().params().clone();
        params[3] = Float.NaN;
        // The record accepts any floats; only the decoder guards the kernels.
        byte[] encoded = WeightsCodec.encode(new ModelWeights(goldenWeights().spec(), params));
        assertFails(() -> WeightsCodec.decode(encoded), Check.FINITE);
        assertThatThrownBy(() -> WeightsCodec.decode(encoded))
                .hasMessageContaining("parameter 3 is NaN");
    }

    @Test
    void aSpecWhoseParametersCannotFitOneArrayFailsTheSpecCheck() throws Exception {
        // Found by WeightsCodecFuzzTest: 2^20 x 4096 embedding rows overflowed the layout's int
        // size to 0, so these 8,194 parameters passed as a whole text-classifier and its kernel
        // would have read far outside them.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {'S', 'L', 'W', 'T'});
        out.writeInt(WeightsCodec.FORMAT_VERSION);
        out.writeUTF("text-classifier");
        out.writeInt(3);
        for (String entry :
                List.of("vocabSize", "1048576", "embeddingSize", "4096", "maxLabels", "2")) {
            out.writeUTF(entry);
        }
        byte[] params = new byte[8_194 * 4];
        out.writeInt(8_194);
        out.write(params);
        out.write(MessageDigest.getInstance("SHA-256").digest(params));

        assertThatThrownBy(() -> WeightsCodec.decode(bytes.toByteArray()))
                .isInstanceOfSatisfying(
                        WeightsFormatException.class,
                        e -> assertThat(e.check()).isEqualTo(Check.SPEC))
                .hasMessage(
                        "weights failed the SPEC check: parameter block 0_W of 1048576 x 4096"
                                + " brings the weights to 4294967296 parameters, expected at most"
                                + " 2147483639 (one float[])");
    }

    /** Regenerates the golden file: run once per new format version, then never again. */
    public static void main(String[] args) throws IOException {
        Path path = Path.of("models/src/test/resources" + GOLDEN);
        Files.createDirectories(path.getParent());
        Files.write(path, WeightsCodec.encode(goldenWeights()));
    }

    private static void assertFails(ThrowingCallable call, Check check) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        WeightsFormatException.class, e -> assertThat(e.check()).isEqualTo(check));
    }

    private static byte[] replace(byte[] bytes, String from, String to) {
        byte[] f = from.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] t = to.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = 0; i + f.length <= bytes.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(bytes, i, i + f.length), f)) {
                byte[] out = bytes.clone();
                ByteBuffer.wrap(out, i, t.length).put(t);
                return out;
            }
        }
        throw new AssertionError("pattern not found: " + from);
    }
}
