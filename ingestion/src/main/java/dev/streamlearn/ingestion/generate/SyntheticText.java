package dev.streamlearn.ingestion.generate;

import dev.streamlearn.schemas.avro.TextEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * A synthetic labelled text stream whose spam vocabulary drifts at a known event: before it, spam
 * talks about money; after it, about pills. Ham talks about meetings throughout, and both share
 * filler words. A model that keeps learning recovers after the drift; a frozen one does not. The
 * same seed gives the same stream.
 */
public final class SyntheticText implements Iterator<TextEvent> {
    private static final List<String> FILLER =
            List.of(
                    "the", "a", "to", "and", "you", "for", "this", "is", "with", "on", "your",
                    "we");
    private static final List<String> HAM =
            List.of(
                    "meeting",
                    "agenda",
                    "minutes",
                    "schedule",
                    "review",
                    "patch",
                    "build",
                    "thanks",
                    "tomorrow",
                    "draft",
                    "notes",
                    "release");
    private static final List<String> SPAM_BEFORE =
            List.of(
                    "money",
                    "cash",
                    "loan",
                    "credit",
                    "winner",
                    "prize",
                    "free",
                    "offer",
                    "debt",
                    "investment",
                    "million",
                    "bank");
    private static final List<String> SPAM_AFTER =
            List.of(
                    "pills",
                    "pharmacy",
                    "doctor",
                    "prescription",
                    "cheap",
                    "health",
                    "weight",
                    "order",
                    "online",
                    "medicine",
                    "discreet",
                    "shipping");

    private final Random random;
    private final long count;
    private final long driftAt;
    private final double spamShare;
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private long n;

    /**
     * @param driftAt the index of the first event after the spam vocabulary changed
     */
    public SyntheticText(long seed, long count, long driftAt) {
        this.random = new Random(seed);
        this.count = count;
        this.driftAt = driftAt;
        this.spamShare = 0.35;
    }

    @Override
    public boolean hasNext() {
        return n < count;
    }

    @Override
    public TextEvent next() {
        boolean spam = random.nextDouble() < spamShare;
        List<String> topic = spam ? (n < driftAt ? SPAM_BEFORE : SPAM_AFTER) : HAM;
        StringBuilder text = new StringBuilder();
        int words = 8 + random.nextInt(12);
        for (int i = 0; i < words; i++) {
            List<String> from = random.nextDouble() < 0.5 ? topic : FILLER;
            if (i > 0) {
                text.append(' ');
            }
            text.append(from.get(random.nextInt(from.size())));
        }
        TextEvent event =
                new TextEvent(
                        "synthetic-" + n,
                        start.plus(Duration.ofSeconds(n)),
                        text.toString(),
                        spam ? "spam" : "ham");
        n++;
        return event;
    }
}
