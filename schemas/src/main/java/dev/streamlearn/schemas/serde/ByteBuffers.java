package dev.streamlearn.schemas.serde;

import java.nio.ByteBuffer;

/** Avro hands {@code bytes} fields over as {@link ByteBuffer}s; the codecs want arrays. */
public final class ByteBuffers {
    private ByteBuffers() {}

    /** The buffer's remaining bytes, copied; the buffer's own position is left as it was. */
    public static byte[] copyOf(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }
}
