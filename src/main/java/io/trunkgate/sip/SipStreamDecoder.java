package io.trunkgate.sip;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
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

    private final int maxHeaderBytes;
    private final int maxBodyBytes;
    /** Where the search for the blank line resumes, so slow arrivals are not rescanned. */
    private int scanned;
    /** Header section length (with its blank line) and body length of the message being framed; -1 before. */
    private int headerLength = -1;
    private int bodyLength;

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
                return readContentLength(ctx, in.toString(start, headerLength, StandardCharsets.ISO_8859_1));
            }
        }
        scanned = limit;
        if (in.readableBytes() >= maxHeaderBytes) {
            close(ctx, in, "a header section over " + maxHeaderBytes + " bytes");
        }
        return false;
    }

    private boolean readContentLength(ChannelHandlerContext ctx, String head) {
        String value = null;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                if (name.equals("content-length") || name.equals("l")) {
                    value = line.substring(colon + 1).trim();
                }
            }
        }
        if (value == null) {
            return fail(ctx, head, "a message without Content-Length (required on a stream, RFC 3261 section 18.3)");
        }
        long length;
        try {
            length = Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fail(ctx, head, "a bad Content-Length '" + value + "'");
        }
        if (length < 0) {
            return fail(ctx, head, "a negative Content-Length");
        }
        if (length > maxBodyBytes) {
            return fail(ctx, head, "a body of " + length + " bytes, over the " + maxBodyBytes + "-byte limit");
        }
        bodyLength = (int) length;
        return true;
    }

    private boolean fail(ChannelHandlerContext ctx, String head, String cause) {
        LOG.warn("closing SIP connection from {}: it sent {} ({})", ctx.channel().remoteAddress(), cause,
                SipParser.startLine(head.getBytes(StandardCharsets.ISO_8859_1)));
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
