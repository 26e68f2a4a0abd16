package dev.streamlearn.ops.dashboard;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.avro.ImageScore;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SeriesScore;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.schemas.avro.VectorScore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the page shows, built from the records the {@link TopicFeed} reads, in bounded memory.
 * One lock: the feed thread writes, the publisher thread takes snapshots.
 */
final class DashboardState {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int RATE_WINDOW_SECONDS = 10;
    private static final int RATE_CHART_SECONDS = 120;

    /**
     * The kinds of score, one per score topic, in the order the page lists them. The snapshot's
     * {@code scorer} node has {@code <kind>Scores}, {@code <kind>PerSecond} and {@code <kind>Rate}
     * for each; an attention text model's scores are text scores.
     */
    static final List<String> SCORE_KINDS = List.of("text", "series", "vector", "image");

    private final Clock clock;
    private final int versionsKept;
    private final VersionTrust trust;
    private final Map<String, ModelBoard> models = new TreeMap<>();
    private final SeriesBoard series = new SeriesBoard(240);
    private final TextBoard texts = new TextBoard(8);
    private final VectorBoard vectors = new VectorBoard(8);
    private final ImageBoard images = new ImageBoard(8);
    private final DeadLetterBoard deadLetters = new DeadLetterBoard();
    private final Map<String, ScoresSeen> scoresSeen = new LinkedHashMap<>();
    private long changes;
    private String feedProblem;
    private Map<String, Long> lag = Map.of();

    DashboardState(Clock clock, int versionsKept, VersionTrust trust) {
        this.clock = clock;
        this.versionsKept = versionsKept;
        this.trust = trust;
        SCORE_KINDS.forEach(kind -> scoresSeen.put(kind, new ScoresSeen()));
    }

    /**
     * Applies one record's value; {@code recordTimestamp} is the Kafka timestamp (when it was
     * produced, for the input topics).
     */
    synchronized void accept(Object value, long recordTimestamp) {
        if (value instanceof ModelVersion v) {
            model(v.getModel()).version(v);
        } else if (value instanceof TrainingMetrics m) {
            model(m.getModel()).training(m);
        } else if (value instanceof ModelControl c) {
            model(c.getModel()).control(c);
        } else if (value instanceof ModelEvent e) {
            model(e.getModel()).decided(e);
        } else if (value instanceof TextScore s) {
            texts.score(s);
            seen("text", s.getScoredAt());
            model(s.getModel()).scored(s.getModelVersion(), s.getScoredAt());
        } else if (value instanceof SeriesScore s) {
            series.add(s);
            seen("series", s.getScoredAt());
            model(s.getModel()).scored(s.getModelVersion(), s.getScoredAt());
        } else if (value instanceof VectorScore s) {
            vectors.score(s);
            seen("vector", s.getScoredAt());
            model(s.getModel()).scored(s.getModelVersion(), s.getScoredAt());
        } else if (value instanceof ImageScore s) {
            images.score(s);
            seen("image", s.getScoredAt());
            model(s.getModel()).scored(s.getModelVersion(), s.getScoredAt());
        } else if (value instanceof TextEvent e) {
            texts.event(e, recordTimestamp);
        } else if (value instanceof ImageEvent e) {
            images.event(e);
        } else if (value instanceof DeadLetter d) {
            deadLetters.add(d);
        } else {
            return;
        }
        changes++;
    }

    /** The latest consumer lag per group (see {@link ConsumerLag}). */
    synchronized void lag(Map<String, Long> lagPerGroup) {
        if (!lagPerGroup.equals(lag)) {
            lag = Map.copyOf(lagPerGroup);
            changes++;
        }
    }

    Map<String, Long> lag() {
        return lag;
    }

    /** Why the topics are not being read (null while they are), for the page's status line. */
    synchronized void feedProblem(String problem) {
        if (!java.util.Objects.equals(problem, feedProblem)) {
            feedProblem = problem;
            changes++;
        }
    }

    /** Grows with every record applied: the publisher sends a snapshot only when it moved. */
    synchronized long changes() {
        return changes;
    }

    synchronized ObjectNode snapshot() {
        var now = clock.instant();
        ObjectNode node = NODES.objectNode();
        node.put("now", now.toEpochMilli());
        if (feedProblem != null) {
            node.put("feedProblem", feedProblem);
        }
        ObjectNode modelsNode = node.putObject("models");
        models.forEach((name, board) -> modelsNode.set(name, board.json()));
        ObjectNode scorer = node.putObject("scorer");
        scoresSeen.forEach(
                (kind, seen) -> {
                    scorer.put(kind + "Scores", seen.total);
                    scorer.put(kind + "PerSecond", seen.rate.perSecond(now, RATE_WINDOW_SECONDS));
                    scorer.set(kind + "Rate", seen.rate.series(now, RATE_CHART_SECONDS));
                });
        ObjectNode lagNode = scorer.putObject("lag");
        new TreeMap<>(lag).forEach(lagNode::put);
        node.set("series", series.json());
        node.set("text", texts.json());
        node.set("vector", vectors.json());
        node.set("image", images.json());
        node.set("deadLetters", deadLetters.json());
        return node;
    }

    /** Reads the state under its lock, for the metrics gauges. */
    synchronized <T> T read(java.util.function.Function<DashboardState, T> reader) {
        return reader.apply(this);
    }

    java.util.List<String> modelNames() {
        return java.util.List.copyOf(models.keySet());
    }

    /** Scores read of one of {@link #SCORE_KINDS}. */
    long scoresSeen(String kind) {
        return scoresSeen.get(kind).total;
    }

    long anomalies() {
        return series.anomalies();
    }

    DeadLetterBoard deadLetters() {
        return deadLetters;
    }

    ModelBoard modelOrNull(String name) {
        return models.get(name);
    }

    private void seen(String kind, Instant scoredAt) {
        ScoresSeen seen = scoresSeen.get(kind);
        seen.total++;
        seen.rate.add(scoredAt);
    }

    /** How many scores of one kind were read, and at what rate they were made. */
    private static final class ScoresSeen {
        private final RateMeter rate = new RateMeter(RATE_CHART_SECONDS + 10);
        private long total;
    }

    private ModelBoard model(String name) {
        return models.computeIfAbsent(name, n -> new ModelBoard(n, versionsKept, trust));
    }
}
