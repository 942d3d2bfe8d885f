package io.trunkgate.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** Stream framing by Content-Length (RFC 3261 section 18.3), read in place from the header bytes. */
class SipStreamDecoderTest {

    private static final String HEAD = "OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/TLS h;branch=z9hG4bK1\r\n";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new SipStreamDecoder(8192, 8192));
    }

    @Test
    void frameByContentLengthInAnyCaseCompactOrWithBlanksAroundTheName() {
        for (String header : new String[] {"Content-Length: 5", "content-length:5", "CONTENT-LENGTH :  5 ", "l: 5", "L:5",
                "  Content-Length\t: 5"}) {
            EmbeddedChannel ch = channel();
            byte[] first = bytes(HEAD + header + "\r\n\r\nhello");
            byte[] second = bytes(HEAD + "Content-Length: 0\r\n\r\n");
            byte[] both = new byte[first.length + second.length];
            System.arraycopy(first, 0, both, 0, first.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            ch.writeInbound(Unpooled.wrappedBuffer(both));
            assertArrayEquals(first, (byte[]) ch.readInbound(), header);
            assertArrayEquals(second, (byte[]) ch.readInbound(), header);
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aHeaderThatOnlyLooksLikeContentLengthDoesNotFrame() {
        EmbeddedChannel ch = channel();
        // "X-Content-Length" and "Lx" are other headers: without a real Content-Length the stream closes (18.3)
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(HEAD + "X-Content-Length: 5\r\nLx: 5\r\n\r\nhello")));
        assertNull(ch.readInbound());
        assertFalse(ch.isOpen());
    }

    @Test
    void aMissingBadOrNegativeLengthClosesTheConnection() {
        for (String header : new String[] {"Subject: none", "Content-Length: five", "Content-Length: -1", "l: 99999"}) {
            EmbeddedChannel ch = channel();
            ch.writeInbound(Unpooled.wrappedBuffer(bytes(HEAD + header + "\r\n\r\n")));
            assertNull(ch.readInbound(), header);
            assertFalse(ch.isOpen(), header);
        }
    }
}
