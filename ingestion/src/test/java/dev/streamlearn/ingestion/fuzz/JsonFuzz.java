package dev.streamlearn.ingestion.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * JSON a careless or hostile client might send: objects with the expected fields holding any JSON
 * value (wrong types, huge and tiny numbers, NaN and Infinity as strings, extreme dates, unicode
 * with lone surrogates and escapes), mutated text, and raw bytes that are not UTF-8.
 */
public final class JsonFuzz {
    private static final List<String> FIELDS =
            List.of("seriesId", "value", "eventTime", "id", "text", "label", "extra");

    /** What a mutation inserts: JSON's own syntax, number parts, NUL and a lone surrogate. */
    private static final String EDITS = "{}[]\",:\\0-eE.nt \u0000\ud800";

    private JsonFuzz() {}

    /** Values as bytes on the wire, most of them JSON objects close to a valid event. */
    public static Arbitrary<byte[]> values() {
        Arbitrary<String> json =
                Arbitraries.frequencyOf(
                        Tuple.of(6, nearlyValidEvents()),
                        Tuple.of(3, objects()),
                        Tuple.of(3, mutated(nearlyValidEvents())),
                        Tuple.of(1, values(2)),
                        Tuple.of(1, unicodeText()));
        return Arbitraries.frequencyOf(
                Tuple.of(19, json.map(text -> text.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)));
    }

    /**
     * An object of either shape with every field it needs, each usually of the right type, and an
     * event time in any accepted form (or beyond its range) or none.
     */
    public static Arbitrary<String> nearlyValidEvents() {
        Arbitrary<String> text =
                Arbitraries.frequencyOf(
                        Tuple.of(8, fieldTexts().map(JsonFuzz::quote)),
                        Tuple.of(1, plausibleValues()));
        Arbitrary<String> number =
                Arbitraries.frequencyOf(
                        Tuple.of(4, Arbitraries.doubles().map(String::valueOf)),
                        Tuple.of(2, Arbitraries.longs().map(String::valueOf)),
                        Tuple.of(2, plausibleValues()));
        Arbitrary<String> eventTime =
                Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.just("")),
                        Tuple.of(4, text.map(t -> ",\"eventTime\":" + t)),
                        Tuple.of(1, number.map(n -> ",\"eventTime\":" + n)));
        Arbitrary<String> series =
                Combinators.combine(text, number, eventTime)
                        .as(
                                (id, value, time) ->
                                        "{\"seriesId\":" + id + ",\"value\":" + value + time + "}");
        Arbitrary<String> label =
                Arbitraries.frequencyOf(
                        Tuple.of(1, Arbitraries.just("")),
                        Tuple.of(2, text.map(l -> ",\"label\":" + l)));
        Arbitrary<String> texts =
                Combinators.combine(text, text, label, eventTime)
                        .as(
                                (id, body, l, time) ->
                                        "{\"id\":" + id + ",\"text\":" + body + l + time + "}");
        return Arbitraries.oneOf(series, texts);
    }

    /** A JSON object of some of the event fields (and others), each holding any value. */
    public static Arbitrary<String> objects() {
        Arbitrary<String> member =
                Combinators.combine(
                                Arbitraries.frequencyOf(
                                        Tuple.of(8, Arbitraries.of(FIELDS)),
                                        Tuple.of(1, unicodeText())),
                                Arbitraries.frequencyOf(
                                        Tuple.of(4, plausibleValues()), Tuple.of(1, values(2))))
                        .as((name, value) -> quote(name) + ":" + value);
        return member.list().ofMaxSize(6).map(members -> "{" + String.join(",", members) + "}");
    }

    /** Values close to what a field expects: strings, numbers and times, many at their edges. */
    static Arbitrary<String> plausibleValues() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "-0",
                        "0",
                        "27.97",
                        "1e308",
                        "1e309",
                        "-1e400",
                        "4.9e-324",
                        "1e-400",
                        "123456789012345678901234567890",
                        "9223372036854775807",
                        "9223372036854775808",
                        "-9223372036854775809",
                        "NaN",
                        "Infinity",
                        "true",
                        "null",
                        "[]",
                        "{}"),
                fieldTexts().map(JsonFuzz::quote),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf));
    }

    /**
     * Texts a field of a JSON event or a data file might hold: ids, labels, numbers written as
     * text, dates and times in every accepted form and beyond their ranges, and any unicode.
     */
    public static Arbitrary<String> fieldTexts() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "mote-1",
                        "",
                        " ",
                        "spam",
                        "27.97",
                        " 27.97 ",
                        "-0",
                        "1e309",
                        "0x1p3",
                        "NaN",
                        "Infinity",
                        "-Infinity",
                        "1273399200000",
                        "-9223372036854775808",
                        "99999999999999999999",
                        "-",
                        "2010-05-09T10:00:00Z",
                        "2010-05-09T10:00:00+02:00",
                        "2010-05-09T10:00:00",
                        "2010-05-09",
                        "2010-02-30",
                        "19580329",
                        "00000000",
                        "+999999999-12-31T23:59:59Z",
                        "-999999999-01-01T00:00:00Z",
                        "+999999999-12-31T23:59:59",
                        "-999999999-01-01T00:00:00",
                        "+292278994-08-17T07:12:55.807Z",
                        "+292278994-08-17T07:12:55.808Z",
                        "-292275055-05-16T16:47:04.191Z"),
                Arbitraries.longs().map(String::valueOf),
                unicodeText());
    }

    /** Any JSON value, nested up to {@code depth}. */
    static Arbitrary<String> values(int depth) {
        Arbitrary<String> scalar = plausibleValues();
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> array =
                values(depth - 1).list().ofMaxSize(4).map(v -> "[" + String.join(",", v) + "]");
        Arbitrary<String> object =
                Combinators.combine(unicodeText(), values(depth - 1))
                        .as((k, v) -> quote(k) + ":" + v)
                        .list()
                        .ofMaxSize(3)
                        .map(m -> "{" + String.join(",", m) + "}");
        return Arbitraries.frequencyOf(
                Tuple.of(4, scalar), Tuple.of(1, array), Tuple.of(1, object));
    }

    /** Text from the whole of UTF-16: ASCII, accents, CJK, emoji halves and lone surrogates. */
    static Arbitrary<String> unicodeText() {
        return Arbitraries.strings().all().ofMaxLength(24);
    }

    /** {@code json} with characters deleted, inserted or replaced. */
    static Arbitrary<String> mutated(Arbitrary<String> json) {
        return json.flatMap(
                text ->
                        Arbitraries.randomValue(
                                random -> {
                                    StringBuilder out = new StringBuilder(text);
                                    int edits = 1 + random.nextInt(3);
                                    for (int i = 0; i < edits; i++) {
                                        int at =
                                                out.length() == 0
                                                        ? 0
                                                        : random.nextInt(out.length());
                                        char c = EDITS.charAt(random.nextInt(EDITS.length()));
                                        switch (random.nextInt(3)) {
                                            case 0 -> out.insert(at, c);
                                            case 1 -> {
                                                if (out.length() > 0) {
                                                    out.deleteCharAt(at);
                                                }
                                            }
                                            default -> {
                                                if (out.length() > 0) {
                                                    out.setCharAt(at, c);
                                                }
                                            }
                                        }
                                    }
                                    return out.toString();
                                }));
    }

    /** A JSON string literal holding {@code text}, escaping what JSON requires. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
