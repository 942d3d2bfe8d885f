package io.trunkgate.transport;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between the TLS engine (or the socket) and the SIP framing of a stream connection and watches its clocks:
 * <ul>
 * <li>idle: a connection that no dialog holds ({@link io.trunkgate.flow.SipConnection#hold()}) and that carried
 * no SIP message either way for {@code idle} is closed (keep-alive pings and pongs are not SIP messages);</li>
 * <li>keep-alive (outbound trunk connections only): after {@code ping} without receiving anything, a double-CRLF
 * ping goes out (RFC 5626 section 4.4.1); when nothing at all comes back within the pong timeout, the connection is
 * wedged (a peer that stopped reading, a firewall that dropped it silently) and is closed, so the next request
 * opens a fresh one. A peer that never answered a ping on this connection is taken not to send pongs and is left
 * open, unless pongs are required.</li>
 * </ul>
 * Everything runs on the connection's event loop: no locking.
 */
final class KeepAlive extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(KeepAlive.class);
    private static final byte[] PING = {'\r', '\n', '\r', '\n'};

    private final KeepAliveSettings settings;
    private final boolean pings;
    private long lastSip = System.nanoTime();
    private volatile long lastRead = System.nanoTime();
    /** When the outstanding ping left; 0: none outstanding. */
    private long pingSent;
    /** When the last ping left, answered or not: a silent peer is pinged once per interval, not once per tick. */
    private long lastPing = System.nanoTime();
    private boolean peerPongs;
    private boolean silentPeerLogged;
    private ScheduledFuture<?> ticks;

    /** @param pings send keep-alive pings (our outbound trunk connections) */
    KeepAlive(KeepAliveSettings settings, boolean pings) {
        this.settings = settings;
        this.pings = pings && settings.ping().isPresent();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (settings.idle().isEmpty() && !pings) {
            ctx.pipeline().remove(this);
            return;
        }
        long tick = settings.tickMillis();
        ticks = ctx.executor().scheduleAtFixedRate(() -> check(ctx), tick, tick, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (ticks != null) {
            ticks.cancel(false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        handlerRemoved(ctx);
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            long now = System.nanoTime();
            lastRead = now;
            if (pingSent != 0) {
                peerPongs |= buf.getByte(buf.readerIndex()) == '\r'; // a pong, or CRLFs before a message
                pingSent = 0;
            }
            if (!onlyLineEnds(buf)) {
                lastSip = now;
            }
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ByteBuf buf && buf.readableBytes() > 2) {
            lastSip = System.nanoTime(); // a SIP message (a pong to the peer's ping is 2 bytes; our pings start here)
        }
        super.write(ctx, msg, promise);
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (settings.idle().isPresent() && NettySipConnection.holds(ctx.channel()) == 0
                && now - lastSip >= settings.idle().get().toNanos()) {
            ConnectionWatch.close(ctx, "idle for " + settings.idle().get().toSeconds()
                    + " s without a dialog or a SIP message (trunkgate.connection.idle-timeout)", false);
            return;
        }
        if (!pings) {
            return;
        }
        if (pingSent != 0) {
            if (now - pingSent >= settings.pongTimeout().toNanos()) {
                if (peerPongs || settings.requirePong()) {
                    ConnectionWatch.close(ctx, "no pong to a keep-alive ping within " + settings.pongTimeout().toMillis()
                            + " ms: the connection is wedged (RFC 5626 4.4.1)", true);
                    return;
                }
                if (!silentPeerLogged) {
                    silentPeerLogged = true;
                    LOG.info("{} does not answer keep-alive pings (no RFC 5626 pong): its connection is kept;"
                            + " OPTIONS probes still find it dead", ctx.channel().remoteAddress());
                }
                pingSent = 0;
            }
        } else if (now - Math.max(lastRead, lastPing) >= settings.ping().get().toNanos()) {
            pingSent = now;
            lastPing = now;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(PING));
        }
    }

    private static boolean onlyLineEnds(ByteBuf buf) {
        for (int i = buf.readerIndex(); i < buf.writerIndex(); i++) {
            byte b = buf.getByte(i);
            if (b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** When anything last arrived on the connection, as {@link System#nanoTime()} (read off the loop: approximate). */
    long lastRead() {
        return lastRead;
    }
}
