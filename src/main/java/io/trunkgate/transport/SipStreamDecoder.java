package io.trunkgate.transport;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.trunkgate.limits.RefusalLog;

/**
 * Frames SIP messages on a stream (RFC 3261 section 18.3): the start line and headers up to the blank line, then
 * exactly Content-Length bytes of body; each whole message goes on as a {@code byte[]}. A double-CRLF keep-alive
 * ping gets a single CRLF pong (RFC 5626 section 3.5.1). On a stream the framing of everything after a bad length is
 * lost, so a request without Content-Length, with several (RFC 4475 3.3.9), a bad or negative one (3.1.2.3) or a
 * body over the limit gets 400 (its Via, From, To, Call-ID and CSeq copied) and the connection closes; a header
 * section over the limit closes it. A message not complete within {@code trunkgate.sip.message-timeout} of its first
 * byte (a Content-Length larger than what is sent, RFC 4475 3.1.2.2; a header section cut mid-line) is discarded
 * and the connection closed (issue #17). Each close has one line: the connection's close line naming the cause, for
 * the first of a cause from a source per interval; the rest are counted by the refusal log.
 */
public class SipStreamDecoder extends ByteToMessageDecoder {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final int maxHeaderBytes;
    private final int maxBodyBytes;
    private final long messageTimeoutMillis;
    private final Supplier<RefusalLog> refusals;
    /** Where the search for the blank line resumes, so slow arrivals are not rescanned. */
    private int scanned;
    /** Header section length (with its blank line) and body length of the message being framed; -1 before. */
    private int headerLength = -1;
    private int bodyLength;
    /** The bound of the message begun and not yet complete; null when none is pending. */
    private ScheduledFuture<?> partial;
    /** A framing error closed the connection: what still arrives is dropped. */
    private boolean failed;

    /**
     * Goes between the TLS engine and this decoder on every SIP stream: the messages written while one read is
     * handled, or by tasks of one loop iteration (responses from the other side), leave in one flush, so the TLS
     * engine seals them into one record and the socket takes them in one write, not one each.
     */
    public static ChannelHandler flushConsolidation() {
        return new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
    }

    /** Without a bound on partial messages, every close logged (tests of the framing alone). */
    public SipStreamDecoder(int maxHeaderBytes, int maxBodyBytes) {
        this(maxHeaderBytes, maxBodyBytes, 0, null);
    }

    /**
     * @param messageTimeoutMillis a message not complete this long after its first byte closes the connection (0: no bound)
     * @param refusals             counts framing refusals; null: every close is logged
     */
    public SipStreamDecoder(int maxHeaderBytes, int maxBodyBytes, long messageTimeoutMillis, Supplier<RefusalLog> refusals) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodyBytes;
        this.messageTimeoutMillis = messageTimeoutMillis;
        this.refusals = refusals;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.isReadable()) {
            if (headerLength < 0) {
                if (!skipKeepAlives(ctx, in) || !findHeaderEnd(ctx, in)) {
                    break;
                }
            }
            if (in.readableBytes() < headerLength + bodyLength) {
                break;
            }
            byte[] message = new byte[headerLength + bodyLength];
            in.readBytes(message);
            headerLength = -1;
            scanned = 0;
            stopBound();
            out.add(message);
        }
        if (in.isReadable() && !failed) {
            startBound(ctx);
        } else {
            stopBound();
        }
    }

    /** The bound of a message begun (RFC 4475 3.1.2.2: close when the rest is not forthcoming). */
    private void startBound(ChannelHandlerContext ctx) {
        if (partial == null && messageTimeoutMillis > 0) {
            partial = ctx.executor().schedule(() -> expire(ctx), messageTimeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void stopBound() {
        if (partial != null) {
            partial.cancel(false);
            partial = null;
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        partial = null;
        ByteBuf pending = internalBuffer();
        if (failed || !ctx.channel().isActive() || !pending.isReadable()) {
            return;
        }
        int bytes = pending.readableBytes();
        String cause = "a message not complete within " + messageTimeoutMillis + " ms (trunkgate.sip.message-timeout)";
        pending.skipBytes(bytes);
        headerLength = -1;
        scanned = 0;
        close(ctx, "stream closed: " + cause, cause + ": " + bytes + " bytes discarded" + (bytes > 0 ? " (" + startLine(pending, bytes) + ")" : ""));
    }

    private static String startLine(ByteBuf buf, int bytes) {
        byte[] head = new byte[Math.min(bytes, 200)];
        buf.getBytes(buf.readerIndex() - bytes, head);
        return SipBytes.startLine(head);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopBound();
        super.channelInactive(ctx);
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
            in.skipBytes(in.readableBytes());
            String cause = "a header section over " + maxHeaderBytes + " bytes (trunkgate.sip.max-header-bytes)";
            close(ctx, cause, cause);
        }
        return false;
    }

    /**
     * Reads Content-Length (or its compact form "l") from the header section in place: the bytes of every message
     * are scanned once here, and no string is made of them (the parser that follows makes its own).
     */
    private boolean readContentLength(ChannelHandlerContext ctx, ByteBuf in, int start, int length) {
        long contentLength;
        try {
            contentLength = SipBytes.contentLength(SipBytes.contentLengths(in, start, start + length));
        } catch (IllegalArgumentException e) {
            return fail(ctx, in, start, e.getMessage());
        }
        if (contentLength < 0) {
            return fail(ctx, in, start, "a message without Content-Length (required on a stream, RFC 3261 18.3)");
        }
        if (contentLength > maxBodyBytes) {
            return fail(ctx, in, start, "a body of " + contentLength + " bytes, over the " + maxBodyBytes
                    + "-byte limit (trunkgate.sip.max-body-bytes)");
        }
        bodyLength = (int) contentLength;
        return true;
    }

    /**
     * The framing of this stream is lost: a request gets 400 with the cause (RFC 3261 18.3, 21.4.1), then the
     * connection closes; everything after it is dropped.
     */
    private boolean fail(ChannelHandlerContext ctx, ByteBuf in, int start, String cause) {
        byte[] head = new byte[headerLength];
        in.getBytes(start, head);
        headerLength = -1;
        in.skipBytes(in.readableBytes());
        String startLine = SipBytes.startLine(head);
        if (!startLine.startsWith("SIP/")) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(SipBytes.refusal(head, 400, "Bad Request", cause)));
        }
        close(ctx, firstWords(cause), "it sent " + cause + " (" + startLine + ")");
        return false;
    }

    /** The cause without its numbers, as the refusal log's kind (a peer's values must not make new kinds). */
    private static String firstWords(String cause) {
        return "stream closed: " + cause.replaceAll("[0-9]+", "N").replaceAll("'[^']*'", "'...'");
    }

    /** Closes the connection: its close line names the cause for the first of a kind from a source per interval. */
    private void close(ChannelHandlerContext ctx, String kind, String reason) {
        failed = true;
        stopBound();
        Object source = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress()
                : ctx.channel().remoteAddress();
        if (refusals == null || refusals.get().first(kind, source)) {
            ConnectionWatch.close(ctx, reason, true);
        } else {
            ConnectionWatch.quietly(ctx, reason);
        }
    }
}
