package dev.streamlearn.models.version;

import java.io.Serializable;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 public key and its id: the lower-case hex of the first 8 bytes of the SHA-256 of its
 * X.509 encoding, which a signed version names in {@code signingKeyId}. The id only selects a key;
 * the signature check is what trusts it. Serializable as its encoding.
 */
public final class PublicKeyId implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] x509;
    private final String id;
    private transient PublicKey key;

    private PublicKeyId(byte[] x509) {
        this.x509 = x509.clone();
        this.id = idOf(x509);
    }

    /**
     * @throws IllegalArgumentException if {@code key} is not an Ed25519 public key
     */
    public static PublicKeyId of(PublicKey key) {
        return decode(key.getEncoded());
    }

    /**
     * The key of an X.509 (SubjectPublicKeyInfo) encoding.
     *
     * @throws IllegalArgumentException if it is not an Ed25519 public key
     */
    public static PublicKeyId decode(byte[] x509) {
        PublicKeyId id = new PublicKeyId(x509);
        id.key();
        return id;
    }

    public String id() {
        return id;
    }

    public PublicKey key() {
        if (key == null) {
            try {
                key =
                        KeyFactory.getInstance(SigningKey.ALGORITHM)
                                .generatePublic(new X509EncodedKeySpec(x509));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException(
                        "not an Ed25519 public key in X.509 encoding: " + e.getMessage(), e);
            }
        }
        return key;
    }

    private static String idOf(byte[] x509) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(x509);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKeyId other && Arrays.equals(x509, other.x509);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id;
    }
}
