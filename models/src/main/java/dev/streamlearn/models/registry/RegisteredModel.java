package dev.streamlearn.models.registry;

import java.util.List;
import java.util.OptionalLong;

/**
 * One model as the registry holds it: its last accepted versions, oldest first, and its pin.
 *
 * @param name the model name
 * @param held the last K accepted versions, oldest first; empty while only a pin is known
 * @param pinned the pinned version, or empty when the model follows its latest version
 */
public record RegisteredModel(String name, List<VersionSummary> held, OptionalLong pinned) {
    public RegisteredModel {
        held = List.copyOf(held);
    }

    /** The highest accepted version: the newest held, since only older ones are dropped. */
    public OptionalLong latest() {
        return held.isEmpty()
                ? OptionalLong.empty()
                : OptionalLong.of(held.get(held.size() - 1).version());
    }

    /**
     * The version that serves: the pinned one while it is held, else the latest. A pin on a version
     * that has left the registry falls back to the latest rather than stop scoring.
     */
    public OptionalLong serving() {
        if (pinned.isPresent() && holds(pinned.getAsLong())) {
            return pinned;
        }
        return latest();
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
