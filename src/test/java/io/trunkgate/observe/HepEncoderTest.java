package io.trunkgate.observe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The HEP v3 layout (Homer's encapsulation): the chunks a receiver needs, read back from the bytes. */
class HepEncoderTest {

    private static final String SIP = "INVITE sip:+13175550100@localhost SIP/2.0\r\nVia: SIP/2.0/TLS 10.0.0.1;branch=z9hG4bK1\r\n"
            + "i: abc@10.0.0.1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";

    /** The packet as bytes (in a buffer of the sender's kind: direct). */
    private static byte[] encode(HepEncoder encoder, HepEncoder.Trace trace) {
        ByteBuf packet = encoder.encode(trace, UnpooledByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(packet);
        } finally {
            packet.release();
        }
    }

    /** The next HEP v3 packet of a stream (HEP over TCP): bytes 4-5 give its whole length, header included. */
    static byte[] nextPacket(DataInputStream in) throws IOException {
        byte[] head = new byte[6];
        in.readFully(head);
        byte[] packet = Arrays.copyOf(head, (head[4] & 0xff) << 8 | head[5] & 0xff);
        in.readFully(packet, 6, packet.length - 6);
        return packet;
    }

    /** Chunk type -> value (HepSenderTest and HepTraceTest read a TCP receiver's packets with it). */
    static Map<Integer, byte[]> chunks(byte[] packet) {
        ByteBuffer b = ByteBuffer.wrap(packet);
        assertEquals("HEP3", new String(packet, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(packet.length, b.getShort(4) & 0xffff, "the total length");
        Map<Integer, byte[]> out = new HashMap<>();
        int pos = 6;
        while (pos < packet.length) {
            assertEquals(0, b.getShort(pos), "vendor 0");
            int type = b.getShort(pos + 2) & 0xffff;
            int len = b.getShort(pos + 4) & 0xffff;
            out.put(type, Arrays.copyOfRange(packet, pos + 6, pos + len));
            pos += len;
        }
        assertEquals(packet.length, pos, "chunks fill the packet exactly");
        return out;
    }

    @Test
    @DisplayName("a TLS message as HEP v3: IPv4, TCP, addresses, ports, time, SIP, agent id, password, Call-ID, payload")
    void layout() {
        byte[] message = SIP.getBytes(StandardCharsets.UTF_8);
        long micros = 1_765_000_000_123_456L;
        byte[] packet = encode(new HepEncoder(2001, "secret"), new HepEncoder.Trace(message,
                new InetSocketAddress("192.0.2.1", 40123), new InetSocketAddress("127.0.0.1", 5061), true, micros));
        Map<Integer, byte[]> c = chunks(packet);
        assertArrayEquals(new byte[] {2}, c.get(1), "AF_INET");
        assertArrayEquals(new byte[] {6}, c.get(2), "TCP");
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 1}, c.get(3));
        assertArrayEquals(new byte[] {127, 0, 0, 1}, c.get(4));
        assertEquals(40123, ByteBuffer.wrap(c.get(7)).getShort() & 0xffff);
        assertEquals(5061, ByteBuffer.wrap(c.get(8)).getShort() & 0xffff);
        assertEquals(1_765_000_000L, ByteBuffer.wrap(c.get(9)).getInt() & 0xffffffffL);
        assertEquals(123_456, ByteBuffer.wrap(c.get(10)).getInt());
        assertArrayEquals(new byte[] {1}, c.get(11), "SIP");
        assertEquals(2001, ByteBuffer.wrap(c.get(12)).getInt());
        assertEquals("secret", new String(c.get(14), StandardCharsets.UTF_8));
        assertEquals("abc@10.0.0.1", new String(c.get(17), StandardCharsets.UTF_8), "the compact Call-ID header");
        assertArrayEquals(message, c.get(15));
    }

    @Test
    @DisplayName("UDP over IPv6, no password; a message without Call-ID has no correlation chunk")
    void udpV6() {
        byte[] message = "OPTIONS sip:x SIP/2.0\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        Map<Integer, byte[]> c = chunks(encode(new HepEncoder(1, ""), new HepEncoder.Trace(message,
                new InetSocketAddress("::1", 5060), new InetSocketAddress("127.0.0.1", 5070), false, 0)));
        assertArrayEquals(new byte[] {10}, c.get(1), "AF_INET6");
        assertArrayEquals(new byte[] {17}, c.get(2), "UDP");
        assertEquals(16, c.get(5).length);
        assertEquals(16, c.get(6).length, "an IPv4 beside an IPv6 address is mapped");
        assertNull(c.get(14));
        assertNull(c.get(17));
        assertNull(HepEncoder.callIdRange(message));
    }
}
