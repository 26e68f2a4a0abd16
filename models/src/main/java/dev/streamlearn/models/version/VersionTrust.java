package dev.streamlearn.models.version;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Whose versions a reader serves: the public keys it trusts, several at once so that a trainer's
 * key can be rotated (trust the new key, switch the trainer, drop the old key once its versions
 * have aged out), and whether it also serves unsigned versions. A signed version is always checked,
 * whatever the policy: one signed by a key not trusted here, or whose signature does not match, is
 * refused. See the README, "Model signing".
 */
public final class VersionTrust implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, PublicKeyId> keys;
    private final boolean unsignedAllowed;

    private VersionTrust(Collection<PublicKeyId> keys, boolean unsignedAllowed) {
        Map<String, PublicKeyId> byId = new TreeMap<>();
        for (PublicKeyId key : keys) {
            PublicKeyId before = byId.put(key.id(), key);
            if (before != null && !before.equals(key)) {
                throw new IllegalArgumentException(
                        "two different public keys share the id " + key.id());
            }
        }
        this.keys = Collections.unmodifiableMap(byId);
        this.unsignedAllowed = unsignedAllowed;
    }

    /**
     * Serves only versions signed by one of {@code keys}.
     *
     * @throws IllegalArgumentException if {@code keys} is empty (nothing would ever serve)
     */
    public static VersionTrust signedBy(Collection<PublicKeyId> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(
                    "no trusted public key: every signed version would be refused");
        }
        return new VersionTrust(keys, false);
    }

    /** Serves only versions signed by one of {@code keys}. */
    public static VersionTrust signedBy(PublicKeyId... keys) {
        return signedBy(List.of(keys));
    }

    /**
     * Serves versions signed by one of {@code keys} (possibly none) and unsigned versions: versions
     * made before signing, or by a trainer without a key. Anyone who can write to {@code
     * model-versions} can then make it serve any weights.
     */
    public static VersionTrust unsignedAllowed(Collection<PublicKeyId> keys) {
        return new VersionTrust(keys, true);
    }

    /** Trusts no key and serves unsigned versions: how every reader behaved before signing. */
    public static VersionTrust unsignedOnly() {
        return unsignedAllowed(List.of());
    }

    public boolean allowsUnsigned() {
        return unsignedAllowed;
    }

    /** The ids of the trusted keys, sorted. */
    public List<String> keyIds() {
        return List.copyOf(keys.keySet());
    }

    Optional<PublicKeyId> key(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionTrust other
                && unsignedAllowed == other.unsignedAllowed
                && keys.equals(other.keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode() * 31 + Boolean.hashCode(unsignedAllowed);
    }

    @Override
    public String toString() {
        return (keys.isEmpty() ? "no key" : "keys " + String.join(", ", keys.keySet()))
                + (unsignedAllowed ? ", unsigned allowed" : "");
    }
}
