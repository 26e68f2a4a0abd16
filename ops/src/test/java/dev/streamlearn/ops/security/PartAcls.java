package dev.streamlearn.ops.security;

import dev.streamlearn.ingestion.load.ResumableSender;
import dev.streamlearn.ingestion.normalize.NormalizerApp;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.scorer.ScorerConfig;
import dev.streamlearn.trainer.flink.TrainingJobRunner;
import dev.streamlearn.trainer.parallel.DataParallel;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs each part of the pipeline needs, and no more: the README's table ("Security") as code,
 * for the IT that runs the parts under them. Test fixture.
 */
final class PartAcls {
    private PartAcls() {}

    /**
     * {@code ingest} (and any client that writes events): the entry topics, dead letters, and its
     * resumable loads' transactional ids and position groups ({@code streamlearn-ingest:ID}).
     */
    static List<AclBinding> ingest(String user) {
        Acls acls = new Acls(user);
        for (Topic<?, ?> topic :
                List.of(
                        Topics.TEXT_EVENTS,
                        Topics.SERIES_POINTS,
                        Topics.VECTOR_EVENTS,
                        Topics.IMAGE_EVENTS,
                        Topics.TEXT_EVENTS_JSON,
                        Topics.SERIES_POINTS_JSON,
                        Topics.VECTOR_EVENTS_JSON,
                        Topics.IMAGE_EVENTS_JSON)) {
            acls.topic(topic.name(), AclOperation.WRITE);
        }
        // A load's position is committed in its transaction against the topic it writes.
        acls.topic(Topics.TEXT_EVENTS.name(), AclOperation.READ);
        acls.topic(Topics.SERIES_POINTS.name(), AclOperation.READ);
        acls.topic(Topics.VECTOR_EVENTS.name(), AclOperation.READ);
        acls.topic(Topics.IMAGE_EVENTS.name(), AclOperation.READ);
        acls.topic(Topics.DEAD_LETTERS.name(), AclOperation.WRITE);
        acls.prefixed(ResourceType.TRANSACTIONAL_ID, ResumableSender.ID_PREFIX, AclOperation.WRITE);
        acls.prefixed(
                ResourceType.TRANSACTIONAL_ID, ResumableSender.ID_PREFIX, AclOperation.DESCRIBE);
        acls.prefixed(ResourceType.GROUP, ResumableSender.ID_PREFIX, AclOperation.READ);
        acls.prefixed(ResourceType.GROUP, ResumableSender.ID_PREFIX, AclOperation.DESCRIBE);
        return acls.list;
    }

    /** {@code normalize}: JSON in, Avro and dead letters out, as the Streams app it is. */
    static List<AclBinding> normalizer(String user) {
        Acls acls = new Acls(user);
        acls.topic(Topics.TEXT_EVENTS_JSON.name(), AclOperation.READ);
        acls.topic(Topics.SERIES_POINTS_JSON.name(), AclOperation.READ);
        acls.topic(Topics.VECTOR_EVENTS_JSON.name(), AclOperation.READ);
        acls.topic(Topics.IMAGE_EVENTS_JSON.name(), AclOperation.READ);
        acls.topic(Topics.TEXT_EVENTS.name(), AclOperation.WRITE);
        acls.topic(Topics.SERIES_POINTS.name(), AclOperation.WRITE);
        acls.topic(Topics.VECTOR_EVENTS.name(), AclOperation.WRITE);
        acls.topic(Topics.IMAGE_EVENTS.name(), AclOperation.WRITE);
        acls.topic(Topics.DEAD_LETTERS.name(), AclOperation.WRITE);
        acls.streamsApp(NormalizerApp.DEFAULT_APPLICATION_ID);
        return acls.list;
    }

    /**
     * {@code train} / {@code TrainingJobMain}: the inputs, the versions it reads at start and
     * writes, its metrics and dead letters, the data-parallel feedback topic, its transactional ids
     * and consumer group ({@code --name}).
     */
    static List<AclBinding> trainer(String user) {
        Acls acls = new Acls(user);
        acls.topic(Topics.TEXT_EVENTS.name(), AclOperation.READ);
        acls.topic(Topics.SERIES_POINTS.name(), AclOperation.READ);
        acls.topic(Topics.MODEL_VERSIONS.name(), AclOperation.READ);
        acls.topic(Topics.MODEL_VERSIONS.name(), AclOperation.WRITE);
        acls.topic(Topics.TRAINING_METRICS.name(), AclOperation.WRITE);
        acls.topic(Topics.DEAD_LETTERS.name(), AclOperation.WRITE);
        // A data-parallel model's learners and combiner exchange states on a topic of their own,
        // which the trainer creates where it is missing.
        String feedback = DataParallel.feedbackTopic(Topics.MODEL_VERSIONS.name());
        acls.topic(feedback, AclOperation.CREATE);
        acls.topic(feedback, AclOperation.WRITE);
        acls.topic(feedback, AclOperation.READ);
        acls.prefixed(
                ResourceType.TRANSACTIONAL_ID, TrainingJobRunner.JOB_NAME, AclOperation.WRITE);
        acls.prefixed(
                ResourceType.TRANSACTIONAL_ID, TrainingJobRunner.JOB_NAME, AclOperation.DESCRIBE);
        acls.literal(ResourceType.GROUP, TrainingJobRunner.JOB_NAME, AclOperation.READ);
        return acls.list;
    }

    /**
     * {@code score}: the inputs, versions and controls (read only), scores and dead letters out,
     * the promotion gate's topics, as the Streams app it is.
     */
    static List<AclBinding> scorer(String user) {
        Acls acls = new Acls(user);
        acls.topic(Topics.TEXT_EVENTS.name(), AclOperation.READ);
        acls.topic(Topics.SERIES_POINTS.name(), AclOperation.READ);
        acls.topic(Topics.MODEL_VERSIONS.name(), AclOperation.READ);
        acls.topic(Topics.MODEL_CONTROL.name(), AclOperation.READ);
        acls.topic(Topics.TEXT_SCORES.name(), AclOperation.WRITE);
        acls.topic(Topics.SERIES_SCORES.name(), AclOperation.WRITE);
        acls.topic(Topics.DEAD_LETTERS.name(), AclOperation.WRITE);
        // The promotion gate's topics are the scorers' own: written and read by them only.
        for (Topic<?, ?> own : List.of(Topics.GATE_EVENTS, Topics.MODEL_EVENTS)) {
            acls.topic(own.name(), AclOperation.READ);
            acls.topic(own.name(), AclOperation.WRITE);
        }
        acls.streamsApp(ScorerConfig.DEFAULT_APPLICATION_ID);
        return acls.list;
    }

    /**
     * An operator's {@code models} and {@code dashboard}: every topic they show (read only), pins
     * and follows written to {@code model-control}, and the consumer groups whose lag the dashboard
     * shows.
     */
    static List<AclBinding> operator(String user) {
        Acls acls = new Acls(user);
        for (Topic<?, ?> topic :
                List.of(
                        Topics.MODEL_VERSIONS,
                        Topics.MODEL_CONTROL,
                        Topics.MODEL_EVENTS,
                        Topics.TEXT_SCORES,
                        Topics.SERIES_SCORES,
                        Topics.VECTOR_SCORES,
                        Topics.IMAGE_SCORES,
                        Topics.TRAINING_METRICS,
                        Topics.DEAD_LETTERS,
                        Topics.TEXT_EVENTS,
                        Topics.SERIES_POINTS,
                        Topics.IMAGE_EVENTS)) {
            acls.topic(topic.name(), AclOperation.READ);
        }
        acls.topic(Topics.MODEL_CONTROL.name(), AclOperation.WRITE);
        acls.prefixed(ResourceType.GROUP, "streamlearn-", AclOperation.DESCRIBE);
        return acls.list;
    }

    private static final class Acls {
        private final String principal;
        private final List<AclBinding> list = new ArrayList<>();

        Acls(String user) {
            this.principal = "User:" + user;
        }

        void topic(String name, AclOperation operation) {
            literal(ResourceType.TOPIC, name, operation);
        }

        void literal(ResourceType type, String name, AclOperation operation) {
            add(new ResourcePattern(type, name, PatternType.LITERAL), operation);
        }

        void prefixed(ResourceType type, String prefix, AclOperation operation) {
            add(new ResourcePattern(type, prefix, PatternType.PREFIXED), operation);
        }

        /**
         * A Kafka Streams application: its consumer group (the application id), its transactional
         * ids under exactly-once ({@code APPID-PROCESSID-N}), and its internal topics ({@code
         * APPID-...-changelog}, {@code -repartition}), which it creates and trims itself.
         */
        void streamsApp(String applicationId) {
            literal(ResourceType.GROUP, applicationId, AclOperation.READ);
            prefixed(ResourceType.TRANSACTIONAL_ID, applicationId, AclOperation.WRITE);
            prefixed(ResourceType.TRANSACTIONAL_ID, applicationId, AclOperation.DESCRIBE);
            prefixed(ResourceType.TOPIC, applicationId + "-", AclOperation.ALL);
        }

        private void add(ResourcePattern pattern, AclOperation operation) {
            list.add(
                    new AclBinding(
                            pattern,
                            new AccessControlEntry(
                                    principal, "*", operation, AclPermissionType.ALLOW)));
        }
    }
}
