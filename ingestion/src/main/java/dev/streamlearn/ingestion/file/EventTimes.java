package dev.streamlearn.ingestion.file;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an event time field: epoch milliseconds, an ISO-8601 instant ({@code
 * 2010-05-09T10:00:00Z}), local date-time (taken as UTC) or date, or a basic ISO date ({@code
 * 19580329}).
 */
public final class EventTimes {
    private EventTimes() {}

    /**
     * @throws IllegalArgumentException saying which forms are accepted
     */
    public static long parse(String text) {
        String t = text.trim();
        try {
            if (t.length() == 8 && t.chars().allMatch(Character::isDigit)) {
                return LocalDate.parse(t, DateTimeFormatter.BASIC_ISO_DATE)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .toEpochMilli();
            }
            if (!t.isEmpty()
                    && t.chars().allMatch(c -> Character.isDigit(c) || c == '-')
                    && t.indexOf('-', 1) < 0) {
                return Long.parseLong(t);
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return Instant.from(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(t)).toEpochMilli();
            }
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "time '"
                            + text
                            + "' is not epoch milliseconds, an ISO-8601 date/date-time or yyyyMMdd");
        } catch (DateTimeException | ArithmeticException e) {
            // ISO-8601 reads years up to +/-999,999,999; a long of milliseconds holds fewer.
            throw new IllegalArgumentException(
                    "time '"
                            + text
                            + "' is out of range, expected one between years -292275055 and"
                            + " 292278994 (epoch milliseconds)");
        }
    }
}
