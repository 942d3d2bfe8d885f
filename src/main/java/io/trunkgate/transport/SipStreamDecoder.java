package io.trunkgate.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames SIP messages on a stream (RFC 3261 section 18.3): the start line and headers up to the blank line, then
 * exactly Content-Length bytes of body; each whole message goes on as a {@code byte[]}. A double-CRLF keep-alive
 * ping gets a single CRLF pong (RFC 5626 section 3.5.1). A message without Content-Length, a header section over
 * the limit or a body over the limit closes the connection with a log line naming the cause: on a stream the
 * framing of everything after it is lost.
 */
public class SipStreamDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(SipStreamDecoder.class);
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);

    private final int maxHeaderBytes;
    private final int maxBodyBytes;
    /** Where the search for the blank line resumes, so slow arrivals are not rescanned. */
    private int scanned;
    /** Header section length (with its blank line) and body length of the message being framed; -1 before. */
    private int headerLength = -1;
    private int bodyLength;

    /**
     * Goes between the TLS engine and this decoder on every SIP stream: the messages written while one read is
     * handled, or by tasks of one loop iteration (responses from the other side), leave in one flush, so the TLS
     * engine seals them into one record and the socket takes them in one write, not one each.
     */
    public static ChannelHandler flushConsolidation() {
        return new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
    }

    public SipStreamDecoder(int maxHeaderBytes, int maxBodyBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (headerLength < 0) {
                if (!skipKeepAlives(ctx, in) || !findHeaderEnd(ctx, in)) {
                    return;
                }
            }
            if (in.readableBytes() < headerLength + bodyLength) {
                return;
            }
            byte[] message = new byte[headerLength + bodyLength];
            in.readBytes(message);
            headerLength = -1;
            scanned = 0;
            out.add(message);
        }
    }

    /** Consumes CRLFs before a message; answers CRLFCRLF with CRLF. False when more bytes are needed. */
    private boolean skipKeepAlives(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.readableBytes() >= 2 && in.getByte(in.readerIndex()) == CR && in.getByte(in.readerIndex() + 1) == LF) {
            int readable = in.readableBytes();
            boolean thirdIsCr = readable >= 3 && in.getByte(in.readerIndex() + 2) == CR;
            if (readable >= 4 && thirdIsCr && in.getByte(in.readerIndex() + 3) == LF) {
                in.skipBytes(4);
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {CR, LF}));
            } else if ((readable >= 3 && !thirdIsCr) || readable >= 4) {
                in.skipBytes(2); // a lone CRLF (a pong, or stray): ignored, RFC 3261 section 7.5
            } else {
                return false; // maybe the first half of a ping
            }
        }
        return in.isReadable();
    }

    /** Finds the blank line and reads Content-Length; false when more bytes are needed or the connection closed. */
    private boolean findHeaderEnd(ChannelHandlerContext ctx, ByteBuf in) {
        int start = in.readerIndex();
        int limit = Math.min(in.readableBytes(), maxHeaderBytes);
        for (int i = Math.max(scanned, 3); i < limit; i++) {
            if (in.getByte(start + i) == LF && in.getByte(start + i - 1) == CR
                    && in.getByte(start + i - 2) == LF && in.getByte(start + i - 3) == CR) {
                headerLength = i + 1;
                return readContentLength(ctx, in, start, headerLength);
            }
        }
        scanned = limit;
        if (in.readableBytes() >= maxHeaderBytes) {
            close(ctx, in, "a header section over " + maxHeaderBytes + " bytes");
        }
        return false;
    }

    /**
     * Reads Content-Length (or its compact form "l") from the header section in place: the bytes of every message
     * are scanned once here, and no string is made of them (the parser that follows makes its own).
     */
    private boolean readContentLength(ChannelHandlerContext ctx, ByteBuf in, int start, int length) {
        int end = start + length;
        String value = null;
        for (int line = start; line < end;) {
            int eol = in.indexOf(line, end, LF);
            eol = eol < 0 ? end : eol;
            int colon = in.indexOf(line, eol, (byte) ':');
            if (colon > line && isContentLength(in, line, colon)) {
                value = in.toString(colon + 1, eol - colon - 1, StandardCharsets.ISO_8859_1).trim();
            }
            line = eol + 1;
        }
        if (value == null) {
            return fail(ctx, in, start, "a message without Content-Length (required on a stream, RFC 3261 section 18.3)");
        }
        long contentLength;
        try {
            contentLength = Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fail(ctx, in, start, "a bad Content-Length '" + value + "'");
        }
        if (contentLength < 0) {
            return fail(ctx, in, start, "a negative Content-Length");
        }
        if (contentLength > maxBodyBytes) {
            return fail(ctx, in, start, "a body of " + contentLength + " bytes, over the " + maxBodyBytes + "-byte limit");
        }
        bodyLength = (int) contentLength;
        return true;
    }

    /** The header name in [from, colon), blanks around it ignored, is "content-length" or "l" in any case. */
    private static boolean isContentLength(ByteBuf in, int from, int colon) {
        int a = from;
        int b = colon;
        while (a < b && in.getByte(a) <= ' ') {
            a++;
        }
        while (b > a && in.getByte(b - 1) <= ' ') {
            b--;
        }
        if (b - a == 1) {
            return (in.getByte(a) | 0x20) == 'l';
        }
        if (b - a != CONTENT_LENGTH.length) {
            return false;
        }
        for (int i = 0; i < CONTENT_LENGTH.length; i++) {
            byte c = in.getByte(a + i);
            if ((c >= 'A' && c <= 'Z' ? c | 0x20 : c) != CONTENT_LENGTH[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean fail(ChannelHandlerContext ctx, ByteBuf in, int start, String cause) {
        byte[] head = new byte[headerLength];
        in.getBytes(start, head);
        LOG.warn("closing SIP connection from {}: it sent {} ({})", ctx.channel().remoteAddress(), cause,
                SipBytes.startLine(head));
        headerLength = -1;
        ctx.close();
        return false;
    }

    private void close(ChannelHandlerContext ctx, ByteBuf in, String cause) {
        LOG.warn("closing SIP connection from {}: it sent {}", ctx.channel().remoteAddress(), cause);
        in.skipBytes(in.readableBytes());
        ctx.close();
    }
}
