package io.trunkgate.transport;

import java.net.InetSocketAddress;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;

/** A {@link SipConnection} over a Netty channel: a TLS/TCP stream, or a UDP socket plus the peer's address. */
public final class NettySipConnection implements SipConnection {

    private static final AttributeKey<NettySipConnection> KEY = AttributeKey.valueOf("trunkgate.sipConnection");

    private final Channel channel;
    private final InetSocketAddress remote;
    private final String transport;

    private NettySipConnection(Channel channel, InetSocketAddress remote, String transport) {
        this.channel = channel;
        this.remote = remote;
        this.transport = transport;
    }

    /** The connection of a stream channel (one object per channel), or of a UDP socket toward {@code remote}. */
    public static NettySipConnection of(Channel channel, InetSocketAddress remote) {
        if (channel instanceof DatagramChannel) {
            return new NettySipConnection(channel, remote, "udp");
        }
        NettySipConnection existing = channel.attr(KEY).get();
        if (existing != null) {
            return existing;
        }
        String transport = channel.pipeline().get(SslHandler.class) != null ? "tls" : "tcp";
        NettySipConnection created = new NettySipConnection(channel, (InetSocketAddress) channel.remoteAddress(), transport);
        NettySipConnection raced = channel.attr(KEY).setIfAbsent(created);
        return raced != null ? raced : created;
    }

    public Channel channel() {
        return channel;
    }

    @Override
    public String transport() {
        return transport;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void send(byte[] message) {
        if (channel instanceof DatagramChannel) {
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message), remote));
        } else {
            channel.writeAndFlush(Unpooled.wrappedBuffer(message));
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isActive() || (channel instanceof DatagramChannel && channel.isOpen());
    }

    @Override
    public String toString() {
        return transport + ":" + remote;
    }
}
