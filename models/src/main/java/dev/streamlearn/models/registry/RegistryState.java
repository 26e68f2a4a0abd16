package dev.streamlearn.models.registry;

import dev.streamlearn.models.codec.WeightsDelta;
import dev.streamlearn.models.codec.WeightsFormatException;
import dev.streamlearn.models.version.HeldWeights;
import dev.streamlearn.models.version.InvalidVersionException;
import dev.streamlearn.models.version.VerifiedVersion;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rules of the model registry, as one immutable value that the scorer, the dashboard and the
 * {@code models} CLI all fold {@code model-versions} and {@code model-control} into: a version is
 * admitted when it verifies ({@link VersionContract}) against the keys this registry trusts ({@link
 * VersionTrust}) and its number is above every version accepted before for its model; the last K
 * accepted versions are held; which one serves follows the model's {@link ServingPolicy}: the
 * version the promotion gate promoted ({@code model-events}, {@link #decide}), the latest, or a
 * pinned one. Every update returns a new state, so a reader on another thread always sees a whole
 * one. See {@code docs/ARCHITECTURE.md}, "The registry".
 *
 * <p>A delta version (one carrying only what changed since {@code deltaOf}) is admitted only on the
 * full weights of the version it changes, which this state must hold: they are rebuilt, and their
 * hash must be the one the version announces. The state holds the full weights of the last few
 * versions that verified, accepted or refused only for their number (so a trainer whose numbers
 * fell below a version published by someone else goes on being followed, and serves again once its
 * numbers are above). A delta of any other version is refused with that reason, and so is every
 * delta after it, until a version with full weights arrives; what serves is untouched meanwhile.
 */
public final class RegistryState {
    /** Versions held per model unless configured otherwise (pin and roll back reach only these). */
    public static final int DEFAULT_VERSIONS_KEPT = 5;

    /** The policy of a model no {@code model-control} record names. */
    public static final ServingPolicy DEFAULT_POLICY = ServingPolicy.GATED;

    /** Gate decisions remembered per model, for people and tools. */
    public static final int DECISIONS_KEPT = 20;

    /**
     * Full weights held per model for the deltas to come: the versions that verified last (two
     * publishers, say the trainer and someone numbering above it, and one to spare).
     */
    static final int PARENTS_HELD = 3;

    private final int versionsKept;
    private final ServingPolicy defaultPolicy;
    private final VersionTrust trust;
    private final Map<String, RegisteredModel> models;

    /** Per model, the full weights of the versions that verified last, oldest first. */
    private final Map<String, List<HeldWeights>> parents;

    private RegistryState(
            int versionsKept,
            ServingPolicy defaultPolicy,
            VersionTrust trust,
            Map<String, RegisteredModel> models,
            Map<String, List<HeldWeights>> parents) {
        this.versionsKept = versionsKept;
        this.defaultPolicy = defaultPolicy;
        this.trust = trust;
        this.models = models;
        this.parents = parents;
    }

    /**
     * A registry that holds nothing yet, keeps the last {@code versionsKept} per model and admits
     * only versions {@code trust} accepts.
     */
    public static RegistryState empty(int versionsKept, VersionTrust trust) {
        return empty(versionsKept, trust, DEFAULT_POLICY);
    }

    /**
     * A registry like {@link #empty(int, VersionTrust)} whose models follow {@code defaultPolicy}
     * until a control record says otherwise (PIN is not a default: it needs a version).
     */
    public static RegistryState empty(
            int versionsKept, VersionTrust trust, ServingPolicy defaultPolicy) {
        if (versionsKept < 1) {
            throw new IllegalArgumentException("versionsKept must be >= 1, was " + versionsKept);
        }
        if (defaultPolicy == ServingPolicy.PIN) {
            throw new IllegalArgumentException("the default policy must be GATED or FOLLOW");
        }
        return new RegistryState(
                versionsKept, defaultPolicy, trust, Collections.emptyMap(), Collections.emptyMap());
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
     * from (unsigned, an unknown key, a signature that does not match). {@code followed} is the
     * registry after it when it was refused only for its number yet verified, so that its full
     * weights are held for the deltas that may follow it; null when nothing changed.
     */
    public record Refused(String reason, boolean untrusted, RegistryState followed)
            implements Admission {
        public Refused(String reason, boolean untrusted) {
            this(reason, untrusted, null);
        }

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

    public ServingPolicy defaultPolicy() {
        return defaultPolicy;
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

    /** How {@code model}'s serving version is chosen. */
    public ServingPolicy policy(String model) {
        return modelOrEmpty(model).policy();
    }

    /**
     * The full weights of {@code model}'s newest version that verified (accepted, or refused only
     * for its number); empty while none is held.
     */
    public Optional<HeldWeights> parent(String model) {
        List<HeldWeights> held = parents.getOrDefault(model, List.of());
        return held.isEmpty() ? Optional.empty() : Optional.of(held.get(held.size() - 1));
    }

    /**
     * Verifies {@code record} against this registry's trust (a delta on the full weights of the
     * version it changes) and accepts it if its number is above the model's highest.
     */
    public Admission admit(ModelVersion record) {
        Optional<HeldWeights> parent = parentOf(record);
        Optional<String> tooLow = numberRefusal(record.getModel(), record.getVersion());
        if (tooLow.isPresent()) {
            return new Refused(tooLow.get(), false, followed(record, parent));
        }
        try {
            return accept(VersionContract.verify(record, trust, parent));
        } catch (InvalidVersionException e) {
            return new Refused(e.getMessage(), e.untrusted());
        }
    }

    /**
     * The held full weights a delta is to be applied to: those of its {@code deltaOf} number that
     * it was made from, else the newest held (for the refusal to name).
     */
    private Optional<HeldWeights> parentOf(ModelVersion record) {
        Long deltaOf = record.getDeltaOf();
        if (deltaOf == null) {
            return Optional.empty();
        }
        String base;
        try {
            base = WeightsDelta.baseSha256Hex(record.getWeights());
        } catch (WeightsFormatException malformed) {
            return parent(record.getModel()); // verify names what is wrong with it
        }
        return parents.getOrDefault(record.getModel(), List.of()).stream()
                .filter(h -> h.version() == deltaOf && h.sha256Hex().equals(base))
                .findFirst()
                .or(() -> parent(record.getModel()));
    }

    /** The registry holding {@code record}'s full weights, if it verifies and they are new. */
    private RegistryState followed(ModelVersion record, Optional<HeldWeights> parent) {
        boolean known =
                parents.getOrDefault(record.getModel(), List.of()).stream()
                        .anyMatch(
                                h ->
                                        h.version() == record.getVersion()
                                                && h.sha256Hex().equals(record.getWeightsSha256()));
        if (known) {
            return null;
        }
        try {
            VerifiedVersion verified = VersionContract.verify(record, trust, parent);
            return withParent(verified.model(), HeldWeights.of(verified));
        } catch (InvalidVersionException e) {
            return null;
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
        // The promoted version and the one before it are held beyond the last K: under the gate
        // they may be older than every candidate, and they are what serves and what rollback
        // returns to.
        long unprotected = held.stream().filter(v -> !isProtected(before, v.version())).count();
        for (int i = 0; unprotected > versionsKept; ) {
            if (isProtected(before, held.get(i).version())) {
                i++;
            } else {
                evicted.add(held.remove(i).version());
                unprotected--;
            }
        }
        Set<Long> rejected = new TreeSet<>(before.rejected());
        rejected.removeAll(evicted);
        RegistryState next =
                with(
                        new RegisteredModel(
                                before.name(),
                                held,
                                before.pinned(),
                                before.policy(),
                                before.promoted(),
                                before.previous(),
                                rejected,
                                before.decisions()),
                        HeldWeights.of(version));
        return new Admitted(next, version, List.copyOf(evicted));
    }

    /**
     * Applies a {@code model-control} record: pin one version, follow the latest, or serve what the
     * gate promotes.
     *
     * @throws IllegalArgumentException if it pins a version below 1
     */
    public RegistryState control(ModelControl control) {
        String model = control.getModel();
        RegisteredModel before = modelOrEmpty(model);
        if (control.getMode() != ControlMode.PIN) {
            ServingPolicy policy =
                    control.getMode() == ControlMode.GATED
                            ? ServingPolicy.GATED
                            : ServingPolicy.FOLLOW;
            return with(withPolicy(before, policy, OptionalLong.empty()));
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
        return with(withPolicy(before, ServingPolicy.PIN, OptionalLong.of(version)));
    }

    /**
     * Applies a {@code model-events} record, a decision of the promotion gate: a promoted version
     * serves while the model is gated (the one it replaces is kept for rollback), a rolled-back-to
     * version serves again and the one rolled back from joins the rejected, a rejected version
     * never serves while gated. Superseded and drift records are only remembered. A decision may
     * arrive before the version it names (the topics are read apart); it takes effect when the
     * version does.
     */
    public RegistryState decide(ModelEvent event) {
        RegisteredModel before = modelOrEmpty(event.getModel());
        OptionalLong promoted = before.promoted();
        OptionalLong previous = before.previous();
        Set<Long> rejected = new TreeSet<>(before.rejected());
        long version = event.getVersion();
        switch (event.getDecision()) {
            case PROMOTED -> {
                // What the gate keeps in shadow, named as against: what served until now, or the
                // better version promoted before it (0 for a first version).
                OptionalLong replaced =
                        event.getAgainst() > 0 ? OptionalLong.of(event.getAgainst()) : promoted;
                if (replaced.isPresent() && replaced.getAsLong() != version) {
                    previous = replaced;
                }
                promoted = OptionalLong.of(version);
                rejected.remove(version);
            }
            case ROLLED_BACK -> {
                promoted = OptionalLong.of(version);
                previous = OptionalLong.empty();
                rejected.add(event.getAgainst());
                rejected.remove(version);
            }
            case REJECTED -> rejected.add(version);
            case SUPERSEDED, DRIFT -> {}
        }
        List<GateRecord> decisions = new ArrayList<>(before.decisions());
        decisions.add(GateRecord.of(event));
        while (decisions.size() > DECISIONS_KEPT) {
            decisions.remove(0);
        }
        return with(
                new RegisteredModel(
                        before.name(),
                        before.held(),
                        before.pinned(),
                        before.policy(),
                        promoted,
                        previous,
                        rejected,
                        decisions));
    }

    private static boolean isProtected(RegisteredModel model, long version) {
        return model.policy() == ServingPolicy.GATED
                && (model.promoted().equals(OptionalLong.of(version))
                        || model.previous().equals(OptionalLong.of(version)));
    }

    private static RegisteredModel withPolicy(
            RegisteredModel m, ServingPolicy policy, OptionalLong pinned) {
        return new RegisteredModel(
                m.name(),
                m.held(),
                pinned,
                policy,
                m.promoted(),
                m.previous(),
                m.rejected(),
                m.decisions());
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
        return m != null
                ? m
                : new RegisteredModel(name, List.of(), OptionalLong.empty(), defaultPolicy);
    }

    private RegistryState with(RegisteredModel model) {
        Map<String, RegisteredModel> next = new TreeMap<>(models);
        next.put(model.name(), model);
        return new RegistryState(
                versionsKept, defaultPolicy, trust, Collections.unmodifiableMap(next), parents);
    }

    private RegistryState with(RegisteredModel model, HeldWeights parent) {
        return with(model).withParent(model.name(), parent);
    }

    private RegistryState withParent(String model, HeldWeights parent) {
        List<HeldWeights> held = new ArrayList<>(parents.getOrDefault(model, List.of()));
        held.add(parent);
        while (held.size() > PARENTS_HELD) {
            held.remove(0);
        }
        Map<String, List<HeldWeights>> next = new TreeMap<>(parents);
        next.put(model, List.copyOf(held));
        return new RegistryState(
                versionsKept, defaultPolicy, trust, models, Collections.unmodifiableMap(next));
    }
}
