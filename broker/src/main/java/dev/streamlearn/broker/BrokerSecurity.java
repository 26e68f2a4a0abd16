package dev.streamlearn.broker;

import java.nio.file.Path;
import java.util.List;

/**
 * How an {@link EmbeddedKafkaBroker} secures its client listener: {@code SASL_SSL}, clients
 * authenticating with SCRAM-SHA-512 over TLS, and the KRaft {@code StandardAuthorizer} deciding
 * every request by ACLs (nothing is allowed without one, {@code allow.everyone.if.no.acl.found} is
 * false), except for the super users.
 *
 * <p>SCRAM rather than PLAIN: the password never crosses the wire, even inside TLS (a salted
 * challenge and response), the cluster keeps only salted hashes of it, and users are added or
 * changed at run time through the Admin API (stored in the KRaft metadata log), where PLAIN's
 * built-in users live in the broker's JAAS configuration and change only with a restart.
 *
 * @param keystore PKCS#12 with the broker's key and certificate chain
 * @param keystorePassword its password
 * @param superUsers user names allowed everything, whatever the ACLs (e.g. an operator's {@code
 *     admin}); the broker's own principal is one anyway
 */
public record BrokerSecurity(Path keystore, String keystorePassword, List<String> superUsers) {
    /** The SASL mechanism clients of the {@code SASL_SSL} listener use. */
    public static final String CLIENT_MECHANISM = "SCRAM-SHA-512";

    public BrokerSecurity {
        superUsers = List.copyOf(superUsers);
    }

    /** With the broker's key store of {@code tls}. */
    public static BrokerSecurity saslSsl(ThrowawayTls tls, String... superUsers) {
        return new BrokerSecurity(tls.keystore(), tls.password(), List.of(superUsers));
    }
}
