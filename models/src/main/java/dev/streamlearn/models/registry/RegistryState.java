package dev.streamlearn.models.registry;

import dev.streamlearn.models.version.InvalidVersionException;
import dev.streamlearn.models.version.VerifiedVersion;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The rules of the model registry, as one immutable value that the scorer, the dashboard and the
 * {@code models} CLI all fold {@code model-versions} and {@code model-control} into: a version is
 * admitted when it verifies ({@link VersionContract}) against the keys this registry trusts ({@link
 * VersionTrust}) and its number is above every version accepted before for its model; the last K
 * accepted versions are held; the pinned version serves while it is held, else the latest. Every
 * update returns a new state, so a reader on another thread always sees a whole one. See {@code
 * docs/ARCHITECTURE.md}, "The registry".
 */
public final class RegistryState {
    /** Versions held per model unless configured otherwise (pin and roll back reach only these). */
    public static final int DEFAULT_VERSIONS_KEPT = 5;

    private final int versionsKept;
    private final VersionTrust trust;
    private final Map<String, RegisteredModel> models;

    private RegistryState(
            int versionsKept, VersionTrust trust, Map<String, RegisteredModel> models) {
        this.versionsKept = versionsKept;
        this.trust = trust;
        this.models = models;
    }

    /**
     * A registry that holds nothing yet, keeps the last {@code versionsKept} per model and admits
     * only versions {@code trust} accepts.
     */
    public static RegistryState empty(int versionsKept, VersionTrust trust) {
        if (versionsKept < 1) {
            throw new IllegalArgumentException("versionsKept must be >= 1, was " + versionsKept);
        }
        return new RegistryState(versionsKept, trust, Collections.emptyMap());
    }

    /** The outcome of offering a received version to the registry. */
    public sealed interface Admission {}

    /**
     * The version is accepted: the registry after it, the verified version (weights ready to score)
     * and the versions it pushed out of the last K.
     */
    public record Admitted(RegistryState state, VerifiedVersion version, List<Long> evicted)
            implements Admission {}

    /**
     * The version may not serve, and why; {@code untrusted} when it was refused for whom it comes
     * from (unsigned, an unknown key, a signature that does not match).
     */
    public record Refused(String reason, boolean untrusted) implements Admission {
        public Refused(String reason) {
            this(reason, false);
        }
    }

    public int versionsKept() {
        return versionsKept;
    }

    public VersionTrust trust() {
        return trust;
    }

    /** Every model with a held version or a pin, by name. */
    public Map<String, RegisteredModel> models() {
        return models;
    }

    public Optional<RegisteredModel> model(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /** The highest accepted version of {@code model}, or empty while none is held. */
    public OptionalLong latest(String model) {
        RegisteredModel m = models.get(model);
        return m == null ? OptionalLong.empty() : m.latest();
    }

    /** The version of {@code model} that serves, or empty while none is held. */
    public OptionalLong serving(String model) {
        RegisteredModel m = models.get(model);
        return m == null ? OptionalLong.empty() : m.serving();
    }

    /**
     * Verifies {@code record} against this registry's trust and accepts it if its number is above
     * the model's highest.
     */
    public Admission admit(ModelVersion record) {
        Optional<String> tooLow = numberRefusal(record.getModel(), record.getVersion());
        if (tooLow.isPresent()) {
            return new Refused(tooLow.get());
        }
        try {
            return accept(VersionContract.verify(record, trust));
        } catch (InvalidVersionException e) {
            return new Refused(e.getMessage(), e.untrusted());
        }
    }

    /**
     * Accepts a version verified elsewhere.
     *
     * @throws IllegalArgumentException if its number is not above the model's highest
     */
    public Admitted accept(VerifiedVersion version) {
        numberRefusal(version.model(), version.version())
                .ifPresent(
                        reason -> {
                            throw new IllegalArgumentException(reason);
                        });
        RegisteredModel before = modelOrEmpty(version.model());
        List<VersionSummary> held = new ArrayList<>(before.held());
        held.add(VersionSummary.of(version.record()));
        List<Long> evicted = new ArrayList<>();
        while (held.size() > versionsKept) {
            evicted.add(held.remove(0).version());
        }
        RegistryState next = with(new RegisteredModel(before.name(), held, before.pinned()));
        return new Admitted(next, version, List.copyOf(evicted));
    }

    /**
     * Applies a {@code model-control} record: pin one version, or follow the latest again.
     *
     * @throws IllegalArgumentException if it pins a version below 1
     */
    public RegistryState control(ModelControl control) {
        String model = control.getModel();
        if (control.getMode() != ControlMode.PIN) {
            return with(
                    new RegisteredModel(model, modelOrEmpty(model).held(), OptionalLong.empty()));
        }
        Long version = control.getPinnedVersion();
        if (version == null || version < 1) {
            throw new IllegalArgumentException(
                    "model-control for "
                            + model
                            + " pins version "
                            + version
                            + ", expected a version >= 1");
        }
        return with(
                new RegisteredModel(model, modelOrEmpty(model).held(), OptionalLong.of(version)));
    }

    private Optional<String> numberRefusal(String model, long version) {
        long highest = modelOrEmpty(model).latest().orElse(0);
        if (version <= highest) {
            return Optional.of(
                    model
                            + " version "
                            + version
                            + " is not above the highest accepted version "
                            + highest
                            + " (versions only go up)");
        }
        return Optional.empty();
    }

    private RegisteredModel modelOrEmpty(String name) {
        RegisteredModel m = models.get(name);
        return m != null ? m : new RegisteredModel(name, List.of(), OptionalLong.empty());
    }

    private RegistryState with(RegisteredModel model) {
        Map<String, RegisteredModel> next = new TreeMap<>(models);
        next.put(model.name(), model);
        return new RegistryState(versionsKept, trust, Collections.unmodifiableMap(next));
    }
}
