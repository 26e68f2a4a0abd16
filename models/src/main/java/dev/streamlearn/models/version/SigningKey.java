package dev.streamlearn.models.version;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;

/**
 * A trainer's Ed25519 key pair (RFC 8032, the JDK's own provider), which signs every version it
 * publishes. It carries the public key too, because a version names its signer by {@link #keyId}.
 * Serializable as its encodings, so a Flink job graph carries it to the learners; see the README,
 * "Model signing", for where the private key then lives.
 */
public final class SigningKey implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String ALGORITHM = "Ed25519";

    private final byte[] pkcs8;
    private final PublicKeyId publicKey;
    private transient PrivateKey privateKey;

    private SigningKey(byte[] pkcs8, PublicKeyId publicKey) {
        this.pkcs8 = pkcs8.clone();
        this.publicKey = publicKey;
    }

    /** A fresh key pair. */
    public static SigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            return new SigningKey(pair.getPrivate().getEncoded(), PublicKeyId.of(pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 platform has Ed25519", e);
        }
    }

    /**
     * The key pair of a PKCS#8-encoded Ed25519 private key and its public key.
     *
     * @throws IllegalArgumentException if {@code pkcs8} is not an Ed25519 private key, or not the
     *     one of {@code publicKey} (every version it signed would then be refused)
     */
    public static SigningKey of(byte[] pkcs8, PublicKey publicKey) {
        SigningKey key = new SigningKey(pkcs8, PublicKeyId.of(publicKey));
        byte[] probe = "streamlearn key pair check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key.publicKey());
            verifier.update(probe);
            if (!verifier.verify(key.sign(probe))) {
                throw new IllegalArgumentException(
                        "the private key is not the one of public key " + key.keyId());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 platform has Ed25519", e);
        }
        return key;
    }

    /** Which key signed a version: see {@link PublicKeyId#id()}. */
    public String keyId() {
        return publicKey.id();
    }

    public PublicKey publicKey() {
        return publicKey.key();
    }

    public PublicKeyId publicKeyId() {
        return publicKey;
    }

    /** The PKCS#8 encoding of the private key. */
    public byte[] privateKeyEncoded() {
        return pkcs8.clone();
    }

    byte[] sign(byte[] message) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(privateKey());
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with key " + keyId() + " failed", e);
        }
    }

    private PrivateKey privateKey() {
        if (privateKey == null) {
            try {
                privateKey =
                        KeyFactory.getInstance(ALGORITHM)
                                .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException(
                        "not an Ed25519 private key in PKCS#8 encoding: " + e.getMessage(), e);
            }
        }
        return privateKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigningKey other
                && Arrays.equals(pkcs8, other.pkcs8)
                && publicKey.equals(other.publicKey);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId() + "]";
    }
}
