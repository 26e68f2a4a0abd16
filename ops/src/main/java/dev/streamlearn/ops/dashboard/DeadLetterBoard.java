package dev.streamlearn.ops.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Dead letters counted per reason, with the latest few of each. A reason is the stage plus the
 * error with its particulars (numbers, quoted values) blanked, so that "line 12: 'x' is not a
 * number" and "line 40: 'y' is not a number" count as one reason.
 */
final class DeadLetterBoard {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE]-?\\d+)?");
    private static final int REASON_CHARS = 110;
    private static final int PREVIEW_CHARS = 160;
    private static final int REASONS_SHOWN = 30;

    private record Reason(String stage, String reason, long[] count, Bounded<ObjectNode> latest) {}

    private final Map<String, Reason> reasons = new TreeMap<>();
    private long total;

    void add(DeadLetter letter) {
        total++;
        String reason = reasonOf(letter.getError());
        Reason r =
                reasons.computeIfAbsent(
                        letter.getStage() + "\n" + reason,
                        k -> new Reason(letter.getStage(), reason, new long[1], new Bounded<>(3)));
        r.count()[0]++;
        ObjectNode example = NODES.objectNode();
        example.put("sourceTopic", letter.getSourceTopic());
        example.put("partition", letter.getPartition());
        example.put("offset", letter.getOffset());
        example.put("error", letter.getError());
        example.put("at", letter.getAt().toEpochMilli());
        example.put("value", preview(letter.getOriginalValue()));
        r.latest().add(example);
    }

    long total() {
        return total;
    }

    /** Counts per stage, for the metrics endpoint. */
    Map<String, Long> perStage() {
        Map<String, Long> counts = new TreeMap<>();
        reasons.values().forEach(r -> counts.merge(r.stage(), r.count()[0], Long::sum));
        return counts;
    }

    static String reasonOf(String error) {
        String general = NUMBER.matcher(QUOTED.matcher(error).replaceAll("…")).replaceAll("N");
        return general.length() > REASON_CHARS ? general.substring(0, REASON_CHARS) + "…" : general;
    }

    ObjectNode json() {
        ObjectNode node = NODES.objectNode();
        node.put("total", total);
        ArrayNode list = node.putArray("reasons");
        reasons.values().stream()
                .sorted((a, b) -> Long.compare(b.count()[0], a.count()[0]))
                .limit(REASONS_SHOWN)
                .forEach(
                        r -> {
                            ObjectNode item = list.addObject();
                            item.put("stage", r.stage());
                            item.put("reason", r.reason());
                            item.put("count", r.count()[0]);
                            ArrayNode latest = item.putArray("latest");
                            r.latest().items().forEach(e -> latest.insert(0, e));
                        });
        return node;
    }

    /** The original value as text when it is UTF-8 (JSON entry topics), else as hex. */
    private static String preview(ByteBuffer value) {
        if (value == null) {
            return null;
        }
        ByteBuffer copy = value.duplicate();
        byte[] bytes = new byte[Math.min(copy.remaining(), PREVIEW_CHARS)];
        copy.get(bytes);
        try {
            String text =
                    StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            if (text.chars().allMatch(c -> c >= 0x20 || c == '\n' || c == '\t' || c == '\r')) {
                return text;
            }
        } catch (CharacterCodingException notText) {
            // binary (Avro): shown as hex below
        }
        return "hex:" + HexFormat.of().formatHex(bytes);
    }
}
