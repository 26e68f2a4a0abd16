package dev.streamlearn.models.forecast;

/**
 * The season a series' seasonal naive forecast uses, and where it came from.
 *
 * @param length the season in points; 1 (persistence) while pending or when none was found
 * @param source declared by the user, detected, none found, or still being looked for
 * @param decidedAfter how many points of the series had been seen when it was decided (0 for a
 *     declared season)
 */
public record Season(int length, Source source, long decidedAfter) {

    public enum Source {
        DECLARED,
        DETECTED,
        /** No clear season in the points looked at: 1, persistence. */
        NONE,
        /** Still looking: 1, persistence, until decided. */
        PENDING;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Season declared(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("season is " + length + ", expected >= 1");
        }
        return new Season(length, Source.DECLARED, 0);
    }

    public boolean decided() {
        return source != Source.PENDING;
    }
}
