package io.trunkgate.media.relay;

import java.util.Arrays;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * The mutable packet view jitsi-srtp transforms in place (jitsi-utils ships only the interface). Made with
 * spare room for the auth tag so protecting a datagram does not reallocate.
 */
public final class PacketBuffer implements ByteArrayBuffer {

    /** Enough for the longest trailer we produce: SRTCP index (4) + MKI (4) + tag (16). */
    static final int HEADROOM = 32;

    private byte[] buffer;
    private int offset;
    private int length;

    public PacketBuffer(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("offset/length outside the buffer");
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    /** A copy of {@code data} with room to grow. */
    public static PacketBuffer copyOf(byte[] data, int offset, int length) {
        byte[] b = new byte[length + HEADROOM];
        System.arraycopy(data, offset, b, 0, length);
        return new PacketBuffer(b, 0, length);
    }

    public static PacketBuffer copyOf(byte[] data) {
        return copyOf(data, 0, data.length);
    }

    /** The packet bytes as a new array. */
    public byte[] toArray() {
        return Arrays.copyOfRange(buffer, offset, offset + length);
    }

    /** Big-endian 32-bit value at a packet offset (SSRCs). */
    int int32(int at) {
        int i = offset + at;
        return (buffer[i] & 0xff) << 24 | (buffer[i + 1] & 0xff) << 16 | (buffer[i + 2] & 0xff) << 8 | (buffer[i + 3] & 0xff);
    }

    int uint8(int at) {
        return buffer[offset + at] & 0xff;
    }

    /** Big-endian 16-bit value at a packet offset (RTP sequence numbers). */
    int uint16(int at) {
        return (buffer[offset + at] & 0xff) << 8 | (buffer[offset + at + 1] & 0xff);
    }

    /** Removes {@code count} bytes at a packet offset (an MKI), shifting the tail left. */
    void cut(int at, int count) {
        System.arraycopy(buffer, offset + at + count, buffer, offset + at, length - at - count);
        length -= count;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int length) {
        if (length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("length " + length);
        }
        this.length = length;
    }

    @Override
    public void setOffset(int offset) {
        if (offset < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("offset " + offset);
        }
        this.offset = offset;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        if (off >= 0 && len > 0 && offset + off + len <= buffer.length && out.length >= len) {
            System.arraycopy(buffer, offset + off, out, 0, len);
        }
    }

    @Override
    public void grow(int howMuch) {
        if (howMuch < 0) {
            throw new IllegalArgumentException("grow " + howMuch);
        }
        if (offset + length + howMuch > buffer.length) {
            byte[] bigger = new byte[length + howMuch];
            System.arraycopy(buffer, offset, bigger, 0, length);
            buffer = bigger;
            offset = 0;
        }
    }

    @Override
    public void append(byte[] data, int len) {
        if (data == null || len <= 0) {
            return;
        }
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len > 0) {
            length = Math.max(0, length - len);
        }
    }
}
