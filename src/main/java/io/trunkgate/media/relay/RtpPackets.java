package io.trunkgate.media.relay;

/** The few header checks the relay needs (RFC 3550 section 5, RFC 5761 section 4 for demultiplexing). */
final class RtpPackets {

    private RtpPackets() {
    }

    /** Version 2, at least a fixed header, and not an RTCP packet type. */
    static boolean isRtp(PacketBuffer p) {
        return p.getLength() >= 12 && (p.uint8(0) >> 6) == 2 && !rtcpPacketType(p.uint8(1));
    }

    /** Version 2, at least header + sender SSRC, packet type 192..223 (RFC 5761 4: RTCP range). */
    static boolean isRtcp(PacketBuffer p) {
        return p.getLength() >= 8 && (p.uint8(0) >> 6) == 2 && rtcpPacketType(p.uint8(1));
    }

    /** RFC 5761 section 4: with rtcp-mux, the second byte tells RTCP (192-223) from RTP. */
    static boolean rtcpPacketType(int secondByte) {
        return secondByte >= 192 && secondByte <= 223;
    }
}
