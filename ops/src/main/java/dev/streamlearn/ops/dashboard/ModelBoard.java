package dev.streamlearn.ops.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.models.registry.GateRecord;
import dev.streamlearn.models.registry.RegisteredModel;
import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.ops.json.AvroJson;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * What the dashboard knows of one model: its published versions (and which of them the scorers hold
 * and serve, by the same {@link RegistryState} every scorer folds the topics into, trusting the
 * same keys; the versions it refuses are counted, the last with its reason), its training figures
 * over time, the pin from {@code model-control}, the promotion gate's decisions from {@code
 * model-events} (which decide what serves while the model is gated), and the version its latest
 * scores name.
 */
final class ModelBoard {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String name;
    private RegistryState registry;
    private String kind = "";
    private final Bounded<ObjectNode> versions = new Bounded<>(200);
    private long rejected;
    private long untrusted;
    private String lastRefusal;
    private final Bounded<ObjectNode> training = new Bounded<>(400);
    private ModelControl control;
    private long scoredWith;
    private Instant scoredAt;

    ModelBoard(String name, int versionsKept, VersionTrust trust) {
        this.name = name;
        this.registry = RegistryState.empty(versionsKept, trust);
    }

    void version(ModelVersion version) {
        RegistryState.Admission admission = registry.admit(version);
        if (admission instanceof RegistryState.Refused refused) {
            rejected++;
            if (refused.untrusted()) {
                untrusted++;
            }
            lastRefusal = refused.reason();
            if (refused.followed() != null) {
                // Refused only for its number, its weights are what the next delta is made on.
                registry = refused.followed();
            }
            return;
        }
        RegistryState.Admitted admitted = (RegistryState.Admitted) admission;
        registry = admitted.state();
        kind = version.getKind();
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
        node.set("batchSize", AvroJson.value(metrics.getBatchSize()));
        node.set("lagMillis", AvroJson.value(metrics.getLagMillis()));
        node.put("at", metrics.getAt().toEpochMilli());
        node.set("metrics", AvroJson.value(metrics.getMetrics()));
        training.add(node);
    }

    void control(ModelControl control) {
        this.control = control;
        try {
            registry = registry.control(control);
        } catch (IllegalArgumentException refusedByEveryScorer) {
            // a pin below 1: the scorers ignore it, and so does what serves here
        }
    }

    void decided(ModelEvent event) {
        registry = registry.decide(event);
    }

    void scored(long version, Instant at) {
        scoredWith = version;
        scoredAt = at;
    }

    String name() {
        return name;
    }

    long latest() {
        return registered().latest().orElse(0);
    }

    boolean pinned() {
        return control != null && control.getMode() == ControlMode.PIN;
    }

    /** The version scoring uses, by the model's policy (gated, follow or pin). */
    long serving() {
        return registered().serving().orElse(0);
    }

    long rejectedVersions() {
        return rejected;
    }

    /** Of the rejected versions, those refused for their signature. */
    long untrustedVersions() {
        return untrusted;
    }

    /** Why the last refused version was refused, or null if none was. */
    String lastRefusal() {
        return lastRefusal;
    }

    Double lastLoss() {
        return lastTrainingFigure("loss");
    }

    /** The trainer's mini-batch size at its latest publish; null before TrainingMetrics v2. */
    Double lastBatchSize() {
        return lastTrainingFigure("batchSize");
    }

    /** The trainer's lag at its latest publish, in ms; null before TrainingMetrics v2. */
    Double lastLagMillis() {
        return lastTrainingFigure("lagMillis");
    }

    private Double lastTrainingFigure(String field) {
        ObjectNode last = training.last();
        return last == null || !last.path(field).isNumber() ? null : last.get(field).asDouble();
    }

    /** The version the gate scores in shadow, 0 for none. */
    long candidate() {
        return registered().candidate().orElse(0);
    }

    List<GateRecord> decisions() {
        return registered().decisions();
    }

    List<Long> heldVersions() {
        return registered().heldVersions();
    }

    private RegisteredModel registered() {
        return registry.model(name)
                .orElse(new RegisteredModel(name, List.of(), OptionalLong.empty()));
    }

    ObjectNode json() {
        ObjectNode node = NODES.objectNode();
        node.put("name", name);
        node.put("kind", kind);
        node.put("latest", latest());
        node.put("serving", serving());
        node.put("pinned", pinned());
        node.put("policy", registered().policy().name().toLowerCase(java.util.Locale.ROOT));
        node.put("candidate", candidate());
        ArrayNode decisionsNode = node.putArray("decisions");
        for (GateRecord d : decisions()) {
            ObjectNode decision = decisionsNode.addObject();
            decision.put("version", d.version());
            decision.put("decision", d.decision().name());
            decision.put("against", d.against());
            decision.put("events", d.events());
            decision.set("candidateLoss", AvroJson.value(d.candidateLoss()));
            decision.set("againstLoss", AvroJson.value(d.againstLoss()));
            decision.put("reason", d.reason());
            decision.put("at", d.at().toEpochMilli());
        }
        if (pinned()) {
            node.put("pinnedVersion", control.getPinnedVersion());
            node.put(
                    "pinHeld",
                    control.getPinnedVersion() != null
                            && registered().holds(control.getPinnedVersion()));
        }
        if (control != null) {
            node.put("controlReason", control.getReason());
            node.put("controlAt", control.getAt().toEpochMilli());
        }
        ArrayNode heldNode = node.putArray("held");
        heldVersions().forEach(heldNode::add);
        node.put("rejectedVersions", rejected);
        node.put("untrustedVersions", untrusted);
        if (lastRefusal != null) {
            node.put("lastRefusal", lastRefusal);
        }
        if (scoredAt != null) {
            node.put("scoredWith", scoredWith);
            node.put("scoredAt", scoredAt.toEpochMilli());
        }
        node.set("versions", NODES.arrayNode().addAll(versions.items()));
        node.set("training", NODES.arrayNode().addAll(training.items()));
        return node;
    }
}
