package dev.streamlearn.scorer.gate;

import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.GateEvent;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.scorer.registry.LiveRegistry;
import java.nio.ByteBuffer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys the labelled events of one input topic by the model they are evidence for, onto {@code
 * gate-events}, so that one task owns each model's {@link GateProcessor}. Texts go only when they
 * carry a label; every series point does (it is the label of the forecast before it). Nothing goes
 * while the model is not gated. Unreadable records are left to the scoring processor, which
 * dead-letters them.
 */
public final class GateRouter implements Processor<byte[], byte[], String, GateEvent> {
    private final String model;
    private final Topic<?, ?> input;
    private final LiveRegistry registry;
    private ProcessorContext<String, GateEvent> context;

    public GateRouter(String model, Topic<?, ?> input, LiveRegistry registry) {
        this.model = model;
        this.input = input;
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<String, GateEvent> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null
                || registry.state().policy(model) != ServingPolicy.GATED
                || !labelled(record.value())) {
            return;
        }
        context.forward(
                new Record<>(
                        model,
                        new GateEvent(model, input.name(), ByteBuffer.wrap(record.value())),
                        record.timestamp()));
    }

    private boolean labelled(byte[] value) {
        if (input != Topics.TEXT_EVENTS) {
            return true;
        }
        try {
            TextEvent text =
                    Topics.TEXT_EVENTS.valueSerde().deserializer().deserialize(input.name(), value);
            return text != null && text.getLabel() != null;
        } catch (RuntimeException unreadable) {
            return false;
        }
    }
}
