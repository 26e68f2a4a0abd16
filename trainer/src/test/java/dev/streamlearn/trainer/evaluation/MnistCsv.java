package dev.streamlearn.trainer.evaluation;

import dev.streamlearn.schemas.avro.ImageEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * {@code datasets/mnist-8k.csv.gz} as image events in file order ({@code id,label,p0,...,p783},
 * 28x28 grey, 0-255), the event time one second apart. A test's own reader, so the goal tests
 * depend on the file and not on ingestion.
 */
public final class MnistCsv {
    public static final Path FILE = Path.of("..", "datasets", "mnist-8k.csv.gz");

    private MnistCsv() {}

    /** The first {@code n} images of the file. */
    public static List<ImageEvent> read(int n) {
        List<ImageEvent> events = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(Files.newInputStream(FILE)),
                                StandardCharsets.US_ASCII))) {
            in.readLine();
            String line;
            while (events.size() < n && (line = in.readLine()) != null) {
                String[] fields = line.split(",", -1);
                byte[] pixels = new byte[fields.length - 2];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (byte) Integer.parseInt(fields[i + 2]);
                }
                events.add(
                        ImageEvent.newBuilder()
                                .setId(fields[0])
                                .setEventTime(Instant.ofEpochSecond(events.size()))
                                .setWidth(28)
                                .setHeight(28)
                                .setChannels(1)
                                .setPixels(ByteBuffer.wrap(pixels))
                                .setLabel(fields[1])
                                .build());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }
}
