package dev.streamlearn.trainer.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts refused rows or examples and keeps the first few reasons for the report. */
final class Rejections {
    private static final int KEPT = 10;
    private long count;
    private final List<String> first = new ArrayList<>();

    void add(String description) {
        count++;
        if (first.size() < KEPT) {
            first.add(description);
        }
    }

    long count() {
        return count;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("first", List.copyOf(first));
        return m;
    }
}
