package dev.streamlearn.scorer.registry;

import java.nio.ByteBuffer;

/**
 * Key layout of the {@link StoreNames#REGISTRY} store. Versions sort by number within a model
 * ({@code v/<model>/<zero-padded version>}), so the oldest is the first of a range scan; {@code
 * latest/<model>} points at the highest accepted version.
 */
final class RegistryKeys {
    private RegistryKeys() {}

    static String version(String model, long version) {
        return versionPrefix(model) + String.format("%019d", version);
    }

    static String versionPrefix(String model) {
        return "v/" + model + "/";
    }

    static String latest(String model) {
        return "latest/" + model;
    }

    static long versionOf(String key) {
        return Long.parseLong(key.substring(key.lastIndexOf('/') + 1));
    }

    static byte[] encodeLong(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    static long decodeLong(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }
}
