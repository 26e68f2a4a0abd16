package dev.streamlearn.ops.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.ops.json.AvroJson;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.scorer.registry.VersionGate;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * What the dashboard knows of one model: its published versions (and which of them the scorers
 * hold, by the scorer's own {@link VersionGate} and "last K accepted" rule), its training figures
 * over time, the pin from {@code model-control}, and the version its latest scores name.
 */
final class ModelBoard {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String name;
    private final int versionsKept;
    private String kind = "";
    private final Bounded<ObjectNode> versions = new Bounded<>(200);
    private final ArrayDeque<Long> held = new ArrayDeque<>();
    private long rejected;
    private final Bounded<ObjectNode> training = new Bounded<>(400);
    private ModelControl control;
    private long scoredWith;
    private Instant scoredAt;

    ModelBoard(String name, int versionsKept) {
        this.name = name;
        this.versionsKept = versionsKept;
    }

    void version(ModelVersion version) {
        long highest = held.isEmpty() ? 0 : held.peekLast();
        if (!VersionGate.check(version, highest).accepted()) {
            rejected++;
            return;
        }
        kind = version.getKind();
        held.addLast(version.getVersion());
        if (held.size() > versionsKept) {
            held.removeFirst();
        }
        ObjectNode node = NODES.objectNode();
        node.put("version", version.getVersion());
        node.set("parentVersion", AvroJson.value(version.getParentVersion()));
        node.put("createdAt", version.getCreatedAt().toEpochMilli());
        node.put("examplesSeen", version.getExamplesSeen());
        node.put("sha256", version.getWeightsSha256());
        node.set("metrics", AvroJson.value(version.getMetrics()));
        versions.add(node);
    }

    void training(TrainingMetrics metrics) {
        ObjectNode node = NODES.objectNode();
        node.put("version", metrics.getVersion());
        node.put("examplesSeen", metrics.getExamplesSeen());
        node.set("loss", AvroJson.value(metrics.getLoss()));
        node.set("examplesPerSecond", AvroJson.value(metrics.getExamplesPerSecond()));
        node.put("at", metrics.getAt().toEpochMilli());
        node.set("metrics", AvroJson.value(metrics.getMetrics()));
        training.add(node);
    }

    void control(ModelControl control) {
        this.control = control;
    }

    void scored(long version, Instant at) {
        scoredWith = version;
        scoredAt = at;
    }

    String name() {
        return name;
    }

    long latest() {
        return held.isEmpty() ? 0 : held.peekLast();
    }

    boolean pinned() {
        return control != null && control.getMode() == ControlMode.PIN;
    }

    /** The version scoring uses: the pin while the registry holds it, else the latest. */
    long serving() {
        if (pinned() && held.contains(control.getPinnedVersion())) {
            return control.getPinnedVersion();
        }
        return latest();
    }

    long rejectedVersions() {
        return rejected;
    }

    Double lastLoss() {
        ObjectNode last = training.last();
        return last == null || !last.get("loss").isNumber() ? null : last.get("loss").asDouble();
    }

    List<Long> heldVersions() {
        return List.copyOf(held);
    }

    ObjectNode json() {
        ObjectNode node = NODES.objectNode();
        node.put("name", name);
        node.put("kind", kind);
        node.put("latest", latest());
        node.put("serving", serving());
        node.put("pinned", pinned());
        if (pinned()) {
            node.put("pinnedVersion", control.getPinnedVersion());
            node.put("pinHeld", held.contains(control.getPinnedVersion()));
        }
        if (control != null) {
            node.put("controlReason", control.getReason());
            node.put("controlAt", control.getAt().toEpochMilli());
        }
        ArrayNode heldNode = node.putArray("held");
        held.forEach(heldNode::add);
        node.put("rejectedVersions", rejected);
        if (scoredAt != null) {
            node.put("scoredWith", scoredWith);
            node.put("scoredAt", scoredAt.toEpochMilli());
        }
        node.set("versions", NODES.arrayNode().addAll(versions.items()));
        node.set("training", NODES.arrayNode().addAll(training.items()));
        return node;
    }
}
