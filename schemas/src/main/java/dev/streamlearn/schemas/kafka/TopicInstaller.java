package dev.streamlearn.schemas.kafka;

import dev.streamlearn.schemas.Topic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Brings a cluster's topics in line with the {@link dev.streamlearn.schemas.Topics} registry:
 * creates the missing ones with their partition counts and configs, and sets configs that drifted
 * on existing ones. Running it again changes nothing.
 */
public final class TopicInstaller {
    private static final long TIMEOUT_SECONDS = 30;
    private static final short REPLICATION_FACTOR = 1;

    private final Admin admin;

    public TopicInstaller(Admin admin) {
        this.admin = admin;
    }

    /** What one run did to each topic. */
    public enum Outcome {
        CREATED,
        CONFIG_UPDATED,
        UNCHANGED
    }

    /** One line of the report: a topic and what was done to it. */
    public record Change(String topic, Outcome outcome, String detail) {}

    public List<Change> install(Collection<Topic<?, ?>> topics) {
        try {
            Set<String> existing =
                    admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<Change> changes = new ArrayList<>();
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?, ?> topic : topics) {
                if (existing.contains(topic.name())) {
                    changes.add(alignConfigs(topic));
                } else {
                    missing.add(
                            new NewTopic(topic.name(), topic.partitions(), REPLICATION_FACTOR)
                                    .configs(topic.configs()));
                    changes.add(
                            new Change(
                                    topic.name(),
                                    Outcome.CREATED,
                                    topic.partitions() + " partitions " + topic.configs()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            return changes;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("creating topics failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * As {@link #install}, for a part that brings its topics in line when it starts: on a cluster
     * with ACLs that part's principal may not create or describe topics (an administrator runs
     * {@code topics create}), so a refusal leaves the topics as they are and returns false; any
     * other failure is thrown.
     */
    public boolean installIfAuthorized(Collection<Topic<?, ?>> topics) {
        try {
            install(topics);
            return true;
        } catch (IllegalStateException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof AuthorizationException) {
                    return false;
                }
            }
            throw e;
        }
    }

    private Change alignConfigs(Topic<?, ?> topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        Config actual =
                admin.describeConfigs(List.of(resource))
                        .all()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .get(resource);
        Map<String, String> drifted = new HashMap<>();
        topic.configs()
                .forEach(
                        (key, wanted) -> {
                            ConfigEntry entry = actual.get(key);
                            if (entry == null || !wanted.equals(entry.value())) {
                                drifted.put(key, wanted);
                            }
                        });
        if (drifted.isEmpty()) {
            return new Change(topic.name(), Outcome.UNCHANGED, "");
        }
        List<AlterConfigOp> ops =
                drifted.entrySet().stream()
                        .map(
                                e ->
                                        new AlterConfigOp(
                                                new ConfigEntry(e.getKey(), e.getValue()),
                                                AlterConfigOp.OpType.SET))
                        .toList();
        admin.incrementalAlterConfigs(Map.of(resource, ops))
                .all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new Change(topic.name(), Outcome.CONFIG_UPDATED, "set " + drifted);
    }
}
