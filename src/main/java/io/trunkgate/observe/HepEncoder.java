package io.trunkgate.observe;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

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

    /** The packet, or null when the message is too large for HEP v3 or an address is unknown. */
    byte[] encode(Trace t) {
        if (t.message().length > MAX_PAYLOAD || t.source() == null || t.destination() == null
                || t.source().getAddress() == null || t.destination().getAddress() == null) {
            return null;
        }
        InetAddress src = t.source().getAddress();
        InetAddress dst = t.destination().getAddress();
        boolean v4 = src instanceof Inet4Address && dst instanceof Inet4Address;
        ByteArrayOutputStream out = new ByteArrayOutputStream(t.message().length + 160);
        out.writeBytes(new byte[] {'H', 'E', 'P', '3', 0, 0}); // length patched below
        chunk(out, 1, new byte[] {(byte) (v4 ? 2 : 10)});                 // IP family: AF_INET / AF_INET6
        chunk(out, 2, new byte[] {(byte) (t.stream() ? 6 : 17)});         // IP protocol: TCP / UDP
        byte[] s = v4 ? src.getAddress() : v6(src);
        byte[] d = v4 ? dst.getAddress() : v6(dst);
        chunk(out, v4 ? 3 : 5, s);
        chunk(out, v4 ? 4 : 6, d);
        chunk(out, 7, u16(t.source().getPort()));
        chunk(out, 8, u16(t.destination().getPort()));
        chunk(out, 9, u32(t.micros() / 1_000_000L));
        chunk(out, 10, u32(t.micros() % 1_000_000L));
        chunk(out, 11, new byte[] {1});                                   // protocol type: SIP
        chunk(out, 12, u32(agentId));
        if (password != null) {
            chunk(out, 14, password);
        }
        String callId = callId(t.message());
        if (callId != null) {
            chunk(out, 17, callId.getBytes(StandardCharsets.UTF_8));      // correlation id
        }
        chunk(out, 15, t.message());
        byte[] packet = out.toByteArray();
        packet[4] = (byte) (packet.length >>> 8);
        packet[5] = (byte) packet.length;
        return packet;
    }

    private static void chunk(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(0); // vendor 0: the generic chunk types
        out.write(0);
        out.write(type >>> 8);
        out.write(type);
        int len = 6 + value.length;
        out.write(len >>> 8);
        out.write(len);
        out.writeBytes(value);
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

    private static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    private static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** The Call-ID header's value (or its compact form {@code i}), from the header section; null when none. */
    static String callId(byte[] m) {
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
            String name = new String(m, line, colon - line, StandardCharsets.US_ASCII).trim();
            if (colon < stop && (name.equalsIgnoreCase("Call-ID") || name.equalsIgnoreCase("i"))) {
                return new String(m, colon + 1, stop - colon - 1, StandardCharsets.UTF_8).trim();
            }
            line = eol + 1;
        }
        return null;
    }
}
