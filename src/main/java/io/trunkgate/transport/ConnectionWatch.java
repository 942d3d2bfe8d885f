package io.trunkgate.transport;

import io.trunkgate.flow.Side;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every SIP stream connection (listeners and the ones we open): one log line when the
 * connection closes, saying after how long and why: the peer closed it, or we did (idle, no pong to a keep-alive
 * ping, a handshake that failed or never came, a framing error, a cap, the gateway stopping). Whoever closes a
 * connection names the reason with {@link #close}; a close without one is "closed by trunkgate" (the closer logged
 * why), a connection that ends without our close is "peer closed". Connections refused by a cap close
 * {@link #quietly}: a flood is counted by the refusal log, not logged connection by connection.
 */
public final class ConnectionWatch extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionWatch.class);
    private static final AttributeKey<Reason> REASON = AttributeKey.valueOf("trunkgate.closeReason");

    /** Why we closed a connection; {@code fault}: logged as a warning (the peer or the network misbehaved). */
    private record Reason(String text, boolean fault, boolean quiet) {
    }

    private final String role;
    private final boolean client;
    private long openedNanos = System.nanoTime();
    private boolean closedByUs;

    /**
     * @param role   how the log names our side, e.g. "TLS server on port 5061", "TLS client to lb01.example:5061"
     * @param client true on the connections we open (the client role of TLS-7), for the metrics
     */
    public ConnectionWatch(String role, boolean client) {
        this.role = role;
        this.client = client;
    }

    /** Closes {@code channel}, naming why in its close line (the first reason given wins). */
    public static void close(Channel channel, String reason, boolean fault) {
        channel.attr(REASON).setIfAbsent(new Reason(reason, fault, false));
        channel.close();
    }

    /** Closes the connection of {@code ctx} (through the handlers before it), naming why. */
    public static void close(ChannelHandlerContext ctx, String reason, boolean fault) {
        ctx.channel().attr(REASON).setIfAbsent(new Reason(reason, fault, false));
        ctx.close();
    }

    /** Closes without a close line: a refusal the refusal log counts. */
    public static void quietly(ChannelHandlerContext ctx, String reason) {
        ctx.channel().attr(REASON).setIfAbsent(new Reason(reason, false, true));
        ctx.close();
    }

    /** Names why the connection will close, when the closing itself is done elsewhere (e.g. by the TLS engine). */
    public static void reason(Channel channel, String reason, boolean fault) {
        channel.attr(REASON).setIfAbsent(new Reason(reason, fault, false));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        openedNanos = System.nanoTime();
        FlowTap.of(ctx.channel()).connectionOpened(side(ctx.channel()), client);
        super.channelActive(ctx);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        closedByUs = true;
        super.close(ctx, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Reason reason = ctx.channel().attr(REASON).get();
        if (reason == null) {
            reason = new Reason(closedByUs ? "closed by trunkgate" : "peer closed", false, false);
        }
        FlowTap.of(ctx.channel()).connectionClosed(side(ctx.channel()), client, reason.text());
        if (!reason.quiet()) {
            String line = "connection " + describe(ctx.channel()) + " (" + role + ") closed after "
                    + duration(System.nanoTime() - openedNanos) + ": " + reason.text();
            if (reason.fault()) {
                LOG.warn(line);
            } else {
                LOG.info(line);
            }
        }
        super.channelInactive(ctx);
    }

    /** The trunk is TLS only (TLS-3), the inside plain TCP: a stream connection's side by its transport. */
    private static Side side(Channel channel) {
        return channel.pipeline().get(SslHandler.class) != null ? Side.TRUNK : Side.INSIDE;
    }

    private static String describe(Channel channel) {
        String transport = channel.pipeline().get(SslHandler.class) != null ? "tls" : "tcp";
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        return transport + ":" + (remote == null ? "?" : remote.getAddress().getHostAddress() + ":" + remote.getPort());
    }

    private static String duration(long nanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        return ms < 10_000 ? ms + " ms" : ms / 1000 + " s";
    }
}
