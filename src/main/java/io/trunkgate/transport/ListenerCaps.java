package io.trunkgate.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.trunkgate.limits.RefusalLog;
import io.trunkgate.limits.SourceCaps;

/**
 * Right after a TLS listener accepted a connection, before its handshake: the source's caps
 * ({@code trunkgate.listener.max-connections-per-source}, {@code trunkgate.listener.handshakes-per-second-per-source}).
 * Over either, the connection is closed at once, before any TLS work, and counted in the refusal log: a flood of
 * handshakes from one source cannot take the event loops from the calls on established connections.
 */
final class ListenerCaps extends ChannelInboundHandlerAdapter {

    static final String TOO_MANY = "TLS connection refused: over trunkgate.listener.max-connections-per-source";
    static final String TOO_FAST = "TLS connection refused: over trunkgate.listener.handshakes-per-second-per-source";

    private final SourceCaps caps;
    private final Supplier<RefusalLog> refusals;
    private InetAddress counted;

    ListenerCaps(SourceCaps caps, Supplier<RefusalLog> refusals) {
        this.caps = caps;
        this.refusals = refusals;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress source = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        SourceCaps.Refusal refusal = caps.open(source);
        if (refusal != null) {
            String kind = refusal == SourceCaps.Refusal.TOO_MANY_CONNECTIONS ? TOO_MANY : TOO_FAST;
            refusals.get().refused(kind, source.getHostAddress());
            ConnectionWatch.quietly(ctx, kind);
            return; // no handshake starts
        }
        counted = source;
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (counted != null) {
            caps.closed(counted);
            counted = null;
        }
        super.channelInactive(ctx);
    }
}
