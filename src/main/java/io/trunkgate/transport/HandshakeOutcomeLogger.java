package io.trunkgate.transport;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failed TLS handshake closes its connection, whose close line ({@link ConnectionWatch}) names the cause in words
 * (instead of a stack trace): a timeout (also of a handshake that never began), or the innermost TLS error with the
 * requirement it most likely concerns; a transport mismatch the {@link TransportMismatchDetector} already explained
 * is only referred to. TLS errors stop here.
 */
public class HandshakeOutcomeLogger extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeOutcomeLogger.class);

    private final boolean client;

    /** @param client true on the connections we open (TLS-7's client role), for the metrics */
    public HandshakeOutcomeLogger(boolean client) {
        this.client = client;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            FlowTap.of(ctx.channel()).handshake(client, done.cause(),
                    ctx.channel().attr(TransportMismatchDetector.EXPLAINED).get() != null);
        }
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            String reason;
            if (ctx.channel().attr(TransportMismatchDetector.EXPLAINED).get() != null) {
                reason = "TLS handshake failed: transport mismatch, explained above (TLS-2)";
            } else if (done.cause() instanceof SslHandshakeTimeoutException) {
                reason = "TLS handshake timeout: not done within trunkgate.tls.handshake-timeout (a ClientHello that"
                        + " never came, or a peer that stalled)";
            } else {
                reason = "TLS handshake failed: " + describe(done.cause());
            }
            ConnectionWatch.close(ctx, reason, true);
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SSLException || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            LOG.debug("TLS error on {}: {}", ctx.channel().remoteAddress(), describe(cause));
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    /** The innermost useful message, with the requirement it most likely concerns. */
    public static String describe(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = String.valueOf(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
        String lower = message.toLowerCase();
        String id = "";
        if (lower.contains("protocol") || lower.contains("version")) {
            id = " (TLS-4: TLS 1.2 only)";
        } else if (lower.contains("cipher")) {
            id = " (TLS-5: the five suites of the spec)";
        } else if (lower.contains("group") || lower.contains("curve")) {
            id = " (TLS-6: ECDHE on secp384r1 only)";
        } else if (lower.contains("certificate") || lower.contains("path") || lower.contains("trust")) {
            id = " (CERT-*)";
        }
        return message + id;
    }
}
