package dev.streamlearn.ops.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Small slices of the shipped datasets, for ITs that feed real data in a few seconds. */
public final class DatasetSlices {
    private DatasetSlices() {}

    /**
     * Writes the first {@code rows} lines of a gzipped line file (JSON lines, CSV) to {@code
     * slice}.
     */
    public static Path firstLines(Path gzipped, Path slice, int rows) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(Files.newInputStream(gzipped)),
                                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine();
                    line != null && out.size() < rows;
                    line = reader.readLine()) {
                out.add(line);
            }
        }
        return Files.write(slice, out);
    }
}
