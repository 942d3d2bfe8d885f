package io.trunkgate.transport;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per failed TLS handshake, naming the peer and the cause (instead of a stack trace), unless the
 * {@link TransportMismatchDetector} already explained it; TLS errors stop here and close the connection.
 */
public class HandshakeOutcomeLogger extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeOutcomeLogger.class);

    private final String role;

    /** {@code role}: how the log names our side, e.g. "TLS server on port 5061" or "TLS client to host:5061". */
    public HandshakeOutcomeLogger(String role) {
        this.role = role;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            if (ctx.channel().attr(TransportMismatchDetector.EXPLAINED).get() == null) {
                LOG.warn("TLS handshake with {} failed ({}): {}", ctx.channel().remoteAddress(), role,
                        describe(done.cause()));
            }
            ctx.close();
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
