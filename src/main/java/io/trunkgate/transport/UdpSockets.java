package io.trunkgate.transport;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramChannel;
import io.trunkgate.flow.SipConnection;

/**
 * The UDP sockets of the listeners, by local port, captured when camel-netty binds them: requests and responses
 * toward a UDP peer leave from the listening socket, so the peer sees the address it sends to.
 */
public class UdpSockets {

    private final Map<Integer, DatagramChannel> byPort = new ConcurrentHashMap<>();

    void register(DatagramChannel channel) {
        byPort.put(((InetSocketAddress) channel.localAddress()).getPort(), channel);
        channel.closeFuture().addListener(f -> byPort.remove(((InetSocketAddress) channel.localAddress()).getPort(), channel));
    }

    /** Registers once the channel is bound (initChannel runs before bind). */
    void registerWhenBound(Channel channel) {
        channel.pipeline().addFirst("udp-socket-registry", new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(io.netty.channel.ChannelHandlerContext ctx) throws Exception {
                register((DatagramChannel) ctx.channel());
                ctx.pipeline().remove(this);
                super.channelActive(ctx);
            }
        });
    }

    /** A connection toward {@code remote} from the UDP socket bound to {@code localPort}. */
    public SipConnection toward(int localPort, InetSocketAddress remote) {
        DatagramChannel channel = byPort.get(localPort);
        if (channel == null) {
            throw new IllegalStateException("no UDP listener on port " + localPort);
        }
        return NettySipConnection.of(channel, remote);
    }
}
