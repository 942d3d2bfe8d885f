package io.trunkgate.observe;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One SIP message as a HEP v3 packet (the Homer encapsulation protocol, as Kamailio's siptrace and rtpengine send it):
 * "HEP3", the total length, then chunks of vendor 0: IP family, IP protocol, source and destination address and port,
 * seconds and microseconds, protocol type 1 (SIP), capture agent id, the optional password, the Call-ID as
 * correlation id and the message itself.
 */
final class HepEncoder {

    /** The largest message a HEP v3 packet carries: its total length is 16 bits. */
    static final int MAX_PAYLOAD = 65_535 - 200;

    private final int agentId;
    private final byte[] password;

    HepEncoder(int agentId, String password) {
        this.agentId = agentId;
        this.password = password == null || password.isEmpty() ? null : password.getBytes(StandardCharsets.UTF_8);
    }

    /** A message seen on the wire: where from, where to, over TCP (TLS or TCP) or UDP, when (epoch microseconds). */
    record Trace(byte[] message, InetSocketAddress source, InetSocketAddress destination, boolean stream, long micros) {
    }

    /**
     * The packet in a buffer of {@code alloc} (the caller releases it, or a channel's write does), or null when the
     * message is too large for HEP v3 or an address is unknown.
     */
    ByteBuf encode(Trace t, ByteBufAllocator alloc) {
        if (t.message().length > MAX_PAYLOAD || t.source() == null || t.destination() == null
                || t.source().getAddress() == null || t.destination().getAddress() == null) {
            return null;
        }
        InetAddress src = t.source().getAddress();
        InetAddress dst = t.destination().getAddress();
        boolean v4 = src instanceof Inet4Address && dst instanceof Inet4Address;
        int address = v4 ? 4 : 16;
        int[] callId = callIdRange(t.message());
        // the 6-byte header, then 6 bytes per chunk + its value: family, protocol, 2 addresses, 2 ports, 2 times,
        // type, agent id, (password), (Call-ID), payload
        int length = 6 + 6 * 11 + 1 + 1 + 2 * address + 2 * 2 + 2 * 4 + 1 + 4 + t.message().length
                + (password == null ? 0 : 6 + password.length)
                + (callId == null ? 0 : 6 + callId[1] - callId[0]);
        ByteBuf out = alloc.directBuffer(length, length);
        out.writeBytes(HEP3).writeShort(length);
        chunk(out, 1, 1).writeByte(v4 ? 2 : 10);                           // IP family: AF_INET / AF_INET6
        chunk(out, 2, 1).writeByte(t.stream() ? 6 : 17);                   // IP protocol: TCP / UDP
        chunk(out, v4 ? 3 : 5, address).writeBytes(v4 ? src.getAddress() : v6(src));
        chunk(out, v4 ? 4 : 6, address).writeBytes(v4 ? dst.getAddress() : v6(dst));
        chunk(out, 7, 2).writeShort(t.source().getPort());
        chunk(out, 8, 2).writeShort(t.destination().getPort());
        chunk(out, 9, 4).writeInt((int) (t.micros() / 1_000_000L));
        chunk(out, 10, 4).writeInt((int) (t.micros() % 1_000_000L));
        chunk(out, 11, 1).writeByte(1);                                    // protocol type: SIP
        chunk(out, 12, 4).writeInt(agentId);
        if (password != null) {
            chunk(out, 14, password.length).writeBytes(password);
        }
        if (callId != null) {                                              // correlation id
            chunk(out, 17, callId[1] - callId[0]).writeBytes(t.message(), callId[0], callId[1] - callId[0]);
        }
        chunk(out, 15, t.message().length).writeBytes(t.message());
        return out;
    }

    private static final byte[] HEP3 = {'H', 'E', 'P', '3'};

    /** A chunk's header of vendor 0 (the generic chunk types); its value follows. */
    private static ByteBuf chunk(ByteBuf out, int type, int valueLength) {
        return out.writeShort(0).writeShort(type).writeShort(6 + valueLength);
    }

    private static byte[] v6(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 16) {
            return b;
        }
        byte[] mapped = new byte[16]; // an IPv4 address beside an IPv6 one: ::ffff:a.b.c.d
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(b, 0, mapped, 12, 4);
        return mapped;
    }

    /**
     * Where the Call-ID's value (or that of its compact form {@code i}) is in {@code m}, trimmed: {start, end}; null
     * when the header section has none.
     */
    static int[] callIdRange(byte[] m) {
        int end = m.length;
        int line = 0;
        while (line < end) {
            int eol = line;
            while (eol < end && m[eol] != '\n') {
                eol++;
            }
            int stop = eol > line && m[eol - 1] == '\r' ? eol - 1 : eol;
            if (stop == line) {
                return null; // the blank line: end of the headers
            }
            int colon = line;
            while (colon < stop && m[colon] != ':') {
                colon++;
            }
            if (colon < stop && (named(m, line, colon, "call-id") || named(m, line, colon, "i"))) {
                int from = colon + 1;
                int to = stop;
                while (from < to && m[from] <= ' ') {
                    from++;
                }
                while (to > from && m[to - 1] <= ' ') {
                    to--;
                }
                return new int[] {from, to};
            }
            line = eol + 1;
        }
        return null;
    }

    /** Whether m[from, to) is {@code name} (lower case), ignoring case and the blanks around it. */
    private static boolean named(byte[] m, int from, int to, String name) {
        while (from < to && m[from] <= ' ') {
            from++;
        }
        while (to > from && m[to - 1] <= ' ') {
            to--;
        }
        if (to - from != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.toLowerCase((char) (m[from + i] & 0xff)) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
