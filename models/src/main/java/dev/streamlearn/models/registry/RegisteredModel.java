package dev.streamlearn.models.registry;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * One model as the registry holds it: its last accepted versions, oldest first, how its serving
 * version is chosen, and what the promotion gate decided about it.
 *
 * @param name the model name
 * @param held the last K accepted versions, oldest first, and beyond them the promoted version and
 *     the one before it (kept for rollback); empty while only a control or a decision is known
 * @param pinned the pinned version, or empty unless the policy is {@link ServingPolicy#PIN}
 * @param policy how the serving version is chosen
 * @param promoted the version the gate promoted last (or rolled back to), empty before any
 * @param previous the version promoted before {@code promoted}, kept in shadow for rollback
 * @param rejected versions the gate rejected (or rolled back from), which never serve while gated
 * @param decisions the gate's last decisions, oldest first
 */
public record RegisteredModel(
        String name,
        List<VersionSummary> held,
        OptionalLong pinned,
        ServingPolicy policy,
        OptionalLong promoted,
        OptionalLong previous,
        Set<Long> rejected,
        List<GateRecord> decisions) {
    public RegisteredModel {
        held = List.copyOf(held);
        rejected = Set.copyOf(new TreeSet<>(rejected));
        decisions = List.copyOf(decisions);
    }

    /**
     * A model with no gate decisions yet, under {@code policy} (PIN when {@code pinned} is set).
     */
    public RegisteredModel(
            String name, List<VersionSummary> held, OptionalLong pinned, ServingPolicy policy) {
        this(
                name,
                held,
                pinned,
                pinned.isPresent() ? ServingPolicy.PIN : policy,
                OptionalLong.empty(),
                OptionalLong.empty(),
                Set.of(),
                List.of());
    }

    /** A model with no gate decisions yet under the default policy (PIN when pinned). */
    public RegisteredModel(String name, List<VersionSummary> held, OptionalLong pinned) {
        this(name, held, pinned, RegistryState.DEFAULT_POLICY);
    }

    /** The highest accepted version: the newest held, since only older ones are dropped. */
    public OptionalLong latest() {
        return held.isEmpty()
                ? OptionalLong.empty()
                : OptionalLong.of(held.get(held.size() - 1).version());
    }

    /**
     * The version that serves. Pinned: the pinned one while it is held, else the latest (a pin on a
     * version that has left the registry falls back to the latest rather than stop scoring).
     * Follow: the latest. Gated: the promoted version; while the gate has promoted none (a new
     * model), the oldest held version it has not rejected, so a model's first version serves at
     * once and every scorer serves the same one; while a promoted version has not reached this
     * reader yet, the one promoted before it.
     */
    public OptionalLong serving() {
        if (pinned.isPresent() && holds(pinned.getAsLong())) {
            return pinned;
        }
        if (policy != ServingPolicy.GATED) {
            return latest();
        }
        if (promoted.isPresent() && holds(promoted.getAsLong())) {
            return promoted;
        }
        if (previous.isPresent() && holds(previous.getAsLong())) {
            return previous;
        }
        return held.stream()
                .mapToLong(VersionSummary::version)
                .filter(v -> !rejected.contains(v))
                .findFirst();
    }

    /**
     * The newest held version above the serving one that the gate has not rejected: what is scored
     * in shadow while gated; empty under the other policies.
     */
    public OptionalLong candidate() {
        OptionalLong serving = serving();
        if (policy != ServingPolicy.GATED || serving.isEmpty()) {
            return OptionalLong.empty();
        }
        OptionalLong latest = latest();
        return latest.getAsLong() > serving.getAsLong() && !rejected.contains(latest.getAsLong())
                ? latest
                : OptionalLong.empty();
    }

    public boolean holds(long version) {
        return held.stream().anyMatch(v -> v.version() == version);
    }

    public List<Long> heldVersions() {
        return held.stream().map(VersionSummary::version).toList();
    }

    /** The family of the newest held version, or empty while none is held. */
    public String kind() {
        return held.isEmpty() ? "" : held.get(held.size() - 1).kind();
    }
}
