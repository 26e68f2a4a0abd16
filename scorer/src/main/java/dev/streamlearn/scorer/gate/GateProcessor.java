package dev.streamlearn.scorer.gate;

import dev.streamlearn.models.family.attention.AttentionTextFamily;
import dev.streamlearn.models.family.cnn.CnnClassifierFamily;
import dev.streamlearn.models.family.mlp.MlpClassifierFamily;
import dev.streamlearn.models.gate.PairedComparison;
import dev.streamlearn.models.gate.PromotionGate;
import dev.streamlearn.models.registry.RegisteredModel;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.GateEvent;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.registry.StoreNames;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promotion gate of every model whose {@code gate-events} partition this task owns (one task
 * per model, so one decider per model): on each labelled event it brings the model's {@link
 * PromotionGate} up to date with the registry, scores the versions the gate asks for and the
 * family's naive baseline with the family's {@link Shadow}, and writes every decision to {@code
 * model-events}, from which every instance's registry learns what serves. The gate's state is in a
 * changelogged store and its decisions go out in the same transaction as the store's update
 * (exactly-once), so a restarted or moved task continues with the same evidence and never decides
 * twice.
 */
public final class GateProcessor implements Processor<byte[], byte[], String, ModelEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(GateProcessor.class);

    private final LiveRegistry registry;
    private final ScorerOptions options;
    private final ScorerMetrics metrics;
    private ProcessorContext<String, ModelEvent> context;
    private KeyValueStore<String, byte[]> gates;
    private Shadow text;
    private Shadow series;
    private Shadow vector;
    private Shadow image;
    private Shadow attention;

    public GateProcessor(LiveRegistry registry, ScorerOptions options, ScorerMetrics metrics) {
        this.registry = registry;
        this.options = options;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, ModelEvent> context) {
        this.context = context;
        this.gates = context.getStateStore(StoreNames.GATES);
        KeyValueStore<String, byte[]> windows = context.getStateStore(StoreNames.GATE_WINDOWS);
        this.text = new TextShadow(registry, windows);
        this.series = new SeriesShadow(registry, windows);
        this.vector = new VectorShadow(registry, windows);
        this.image = new ImageShadow(registry, windows);
        this.attention = new AttentionShadow(registry, windows);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        GateEvent event;
        try {
            event =
                    Topics.GATE_EVENTS
                            .valueSerde()
                            .deserializer()
                            .deserialize(Topics.GATE_EVENTS.name(), record.value());
        } catch (RuntimeException unreadable) {
            LOG.warn("skipped an unreadable gate-events record: {}", unreadable.getMessage());
            return;
        }
        if (event == null) {
            return;
        }
        String model = event.getModel();
        Optional<RegisteredModel> registered = registry.state().model(model);
        if (registered.isEmpty()) {
            return;
        }
        Shadow shadow =
                switch (registered.get().kind()) {
                    case MlpClassifierFamily.ID -> vector;
                    case CnnClassifierFamily.ID -> image;
                    case AttentionTextFamily.ID -> attention;
                    default ->
                            event.getSourceTopic().equals(Topics.SERIES_POINTS.name())
                                    ? series
                                    : text;
                };
        PromotionGate gate = load(model, shadow.baseline());
        Instant now = Instant.now();
        List<ModelEvent> decisions = new ArrayList<>(gate.observe(registered.get(), now));
        long[] versions = gate.toScore();
        if (versions.length > 0) {
            double[] losses = shadow.losses(model, event, versions);
            if (losses != null) {
                metrics.gateEvents.increment();
                decisions.addAll(
                        gate.add(
                                Arrays.copyOf(losses, versions.length),
                                losses[versions.length],
                                now));
            }
        }
        gates.put(model, encode(gate.state()));
        for (ModelEvent decision : decisions) {
            count(decision);
            log(model, decision);
            context.forward(new Record<>(model, decision, record.timestamp()));
        }
    }

    /**
     * A version kept from serving (rejected, or rolled back from) is worth a line on the console;
     * promotions and supersessions come with nearly every version and are in the metrics, the
     * dashboard's timeline and {@code model-events}.
     */
    private static void log(String model, ModelEvent decision) {
        boolean keptFromServing =
                decision.getDecision() == GateDecision.REJECTED
                        || decision.getDecision() == GateDecision.ROLLED_BACK;
        String format = "{} version {} {}: {}";
        Object[] args = {
            model, decision.getVersion(), decision.getDecision(), decision.getReason()
        };
        if (keptFromServing) {
            LOG.info(format, args);
        } else {
            LOG.debug(format, args);
        }
    }

    private void count(ModelEvent decision) {
        switch (decision.getDecision()) {
            case PROMOTED -> metrics.gatePromoted.increment();
            case REJECTED -> metrics.gateRejected.increment();
            case SUPERSEDED -> metrics.gateSuperseded.increment();
            case ROLLED_BACK -> metrics.gateRolledBack.increment();
            case DRIFT -> {}
        }
    }

    private PromotionGate load(String model, String baseline) {
        byte[] bytes = gates.get(model);
        return bytes == null
                ? new PromotionGate(model, options.gate(), options.rollback(), baseline)
                : PromotionGate.restore(
                        model, options.gate(), options.rollback(), baseline, decode(bytes));
    }

    /**
     * 2: each comparison with the baseline's counts, and the comparison with the baseline; 3: and
     * the candidate's comparison with the best recently promoted version ({@code previous}).
     */
    private static final byte FORMAT = 3;

    private static final int COMPARISON_BYTES = 2 * Long.BYTES + 5 * Double.BYTES;

    static byte[] encode(PromotionGate.State s) {
        ByteBuffer b = ByteBuffer.allocate(1 + 4 * Long.BYTES + 4 * COMPARISON_BYTES);
        b.put(FORMAT).putLong(s.promoted()).putLong(s.previous());
        b.putLong(s.candidate()).putLong(s.decidedUpTo());
        put(b, s.promotion());
        put(b, s.rollback());
        put(b, s.versusBaseline());
        put(b, s.versusPrevious());
        return b.array();
    }

    static PromotionGate.State decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte format = b.get();
        if (format == 1) {
            // Written before the baseline: the comparisons go on without it.
            return new PromotionGate.State(
                    b.getLong(), b.getLong(), b.getLong(), b.getLong(), getV1(b), getV1(b));
        }
        if (format == 2) {
            // Written before candidates were held against previous: that comparison starts now.
            return new PromotionGate.State(
                    b.getLong(), b.getLong(), b.getLong(), b.getLong(), get(b), get(b), get(b));
        }
        if (format != FORMAT) {
            throw new IllegalStateException(
                    "gate state format " + format + ", expected 1, 2 or " + FORMAT);
        }
        return new PromotionGate.State(
                b.getLong(), b.getLong(), b.getLong(), b.getLong(), get(b), get(b), get(b), get(b));
    }

    private static void put(ByteBuffer b, PairedComparison.State c) {
        b.putLong(c.n())
                .putDouble(c.sumCandidate())
                .putDouble(c.sumAgainst())
                .putDouble(c.mean())
                .putDouble(c.m2())
                .putLong(c.baselineEvents())
                .putDouble(c.sumBaseline());
    }

    private static PairedComparison.State get(ByteBuffer b) {
        return new PairedComparison.State(
                b.getLong(),
                b.getDouble(),
                b.getDouble(),
                b.getDouble(),
                b.getDouble(),
                b.getLong(),
                b.getDouble());
    }

    private static PairedComparison.State getV1(ByteBuffer b) {
        return new PairedComparison.State(
                b.getLong(), b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble(), 0, 0);
    }
}
