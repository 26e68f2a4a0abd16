package dev.streamlearn.scorer.gate;

import java.util.HashSet;
import java.util.Set;

final class Shadows {
    private Shadows() {}

    /** The versions named (0 meaning none). */
    static Set<Long> keep(long[] versions) {
        Set<Long> keep = new HashSet<>();
        for (long v : versions) {
            if (v != 0) {
                keep.add(v);
            }
        }
        return keep;
    }
}
