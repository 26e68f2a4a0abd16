package dev.streamlearn.schemas.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * Opens an {@link Admin} client that fails fast: a wrong bootstrap address gives a {@link
 * KafkaUnreachableException} within {@link #REACH_TIMEOUT}, not a client retrying for minutes.
 */
public final class KafkaAdmin {
    public static final Duration REACH_TIMEOUT = Duration.ofSeconds(8);

    private KafkaAdmin() {}

    /** An admin client on a PLAINTEXT broker known to answer; the caller closes it. */
    public static Admin connect(String bootstrap) {
        return connect(KafkaConnection.plaintext(bootstrap));
    }

    /**
     * An admin client on a broker known to answer and to accept the connection's credentials; the
     * caller closes it.
     *
     * @throws KafkaUnreachableException when no broker answers in time
     * @throws KafkaAuthenticationException when the broker refuses the TLS handshake or the SASL
     *     credentials
     */
    public static Admin connect(KafkaConnection connection) {
        String bootstrap = connection.bootstrap();
        int timeoutMs = (int) REACH_TIMEOUT.toMillis();
        Admin admin =
                Admin.create(
                        connection.clientConfig(
                                Map.of(
                                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                                        AdminClientConfig.CLIENT_ID_CONFIG, "streamlearn-admin")));
        try {
            admin.describeCluster()
                    .clusterId()
                    .get(REACH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return admin;
        } catch (ExecutionException e) {
            admin.close(Duration.ZERO);
            if (e.getCause() instanceof AuthenticationException refused) {
                throw new KafkaAuthenticationException(connection, refused);
            }
            throw new KafkaUnreachableException(bootstrap, REACH_TIMEOUT.toSeconds(), e);
        } catch (TimeoutException e) {
            admin.close(Duration.ZERO);
            throw new KafkaUnreachableException(bootstrap, REACH_TIMEOUT.toSeconds(), e);
        } catch (InterruptedException e) {
            admin.close(Duration.ZERO);
            Thread.currentThread().interrupt();
            throw new KafkaUnreachableException(bootstrap, REACH_TIMEOUT.toSeconds(), e);
        }
    }
}
