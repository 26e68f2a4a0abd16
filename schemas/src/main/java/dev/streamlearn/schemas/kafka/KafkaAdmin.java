package dev.streamlearn.schemas.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Opens an {@link Admin} client that fails fast: a wrong bootstrap address gives a {@link
 * KafkaUnreachableException} within {@link #REACH_TIMEOUT}, not a client retrying for minutes.
 */
public final class KafkaAdmin {
    public static final Duration REACH_TIMEOUT = Duration.ofSeconds(8);

    private KafkaAdmin() {}

    /** An admin client on a broker known to answer; the caller closes it. */
    public static Admin connect(String bootstrap) {
        int timeoutMs = (int) REACH_TIMEOUT.toMillis();
        Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                                AdminClientConfig.CLIENT_ID_CONFIG, "streamlearn-admin"));
        try {
            admin.describeCluster()
                    .clusterId()
                    .get(REACH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return admin;
        } catch (TimeoutException | ExecutionException e) {
            admin.close(Duration.ZERO);
            throw new KafkaUnreachableException(bootstrap, REACH_TIMEOUT.toSeconds(), e);
        } catch (InterruptedException e) {
            admin.close(Duration.ZERO);
            Thread.currentThread().interrupt();
            throw new KafkaUnreachableException(bootstrap, REACH_TIMEOUT.toSeconds(), e);
        }
    }
}
