package io.trunkgate.media.sdp;

/** A master key identifier as it trails an SRTP/SRTCP packet: {@code length} bytes, big-endian (RFC 3711 3.1). */
public record Mki(long value, int length) {

    public byte[] bytes() {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[length - 1 - i] = (byte) (value >>> (8 * i));
        }
        return b;
    }
}
