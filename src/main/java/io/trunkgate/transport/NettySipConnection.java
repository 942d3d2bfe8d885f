package io.trunkgate.transport;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import io.trunkgate.flow.FlowEvents;
import io.trunkgate.flow.SipConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link SipConnection} over a Netty channel: a TLS/TCP stream, or a UDP socket plus the peer's address. */
public final class NettySipConnection implements SipConnection {

    private static final Logger LOG = LoggerFactory.getLogger(NettySipConnection.class);
    private static final AttributeKey<NettySipConnection> KEY = AttributeKey.valueOf("trunkgate.sipConnection");
    private static final AttributeKey<java.nio.channels.DatagramChannel> SOCKET = AttributeKey.valueOf("trunkgate.udpSocket");
    private static final AttributeKey<ConcurrentMap<InetSocketAddress, NettySipConnection>> UDP =
            AttributeKey.valueOf("trunkgate.udpPeers");
    /** UDP peers remembered per socket (the PBXs of the inside, or phones registering through it). */
    static final int UDP_PEERS = 4096;
    /** Netty keeps the JDK channel under a NIO channel to itself (a protected method). */
    private static final MethodHandle JAVA_CHANNEL = javaChannelHandle();

    private final Channel channel;
    private final InetSocketAddress remote;
    private final String transport;
    /** Told of every message sent (metrics, HEP): the listener's or client's {@link FlowTap}. */
    private final FlowEvents events;
    /** Dialogs using this stream connection (see {@link #hold()}); the idle limit spares it while any does. */
    private final java.util.concurrent.atomic.AtomicInteger holds = new java.util.concurrent.atomic.AtomicInteger();

    private NettySipConnection(Channel channel, InetSocketAddress remote, String transport) {
        this.channel = channel;
        this.remote = remote;
        this.transport = transport;
        this.events = FlowTap.of(channel);
    }

    /**
     * The connection of a stream channel (one object per channel), or of a UDP socket toward {@code remote} (one per
     * peer address while at most {@link #UDP_PEERS} are known: every datagram received and every request forwarded
     * asks for one, and the transactions that linger 64*T1 each kept a copy).
     */
    public static NettySipConnection of(Channel channel, InetSocketAddress remote) {
        if (channel instanceof DatagramChannel) {
            ConcurrentMap<InetSocketAddress, NettySipConnection> peers = channel.attr(UDP).get();
            if (peers == null) {
                ConcurrentMap<InetSocketAddress, NettySipConnection> created = new ConcurrentHashMap<>();
                peers = channel.attr(UDP).setIfAbsent(created);
                peers = peers == null ? created : peers;
            }
            NettySipConnection known = peers.get(remote);
            if (known == null) {
                if (peers.size() >= UDP_PEERS) {
                    peers.clear(); // many phones behind one socket: start over rather than grow without bound
                }
                known = new NettySipConnection(channel, remote, "udp");
                NettySipConnection raced = peers.putIfAbsent(remote, known);
                known = raced != null ? raced : known;
            }
            return known;
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

    /**
     * Sends one message. UDP goes straight out through the JDK socket, from whichever thread forwards it (sendto is
     * thread-safe): handing each datagram to the listener's event loop cost a task and a wake-up of that loop per
     * message. Only when the socket buffer is full does it queue on the loop like any other Netty write.
     */
    @Override
    public void send(byte[] message) {
        if (events != FlowEvents.NONE) {
            events.sent(this, message);
        }
        if (channel instanceof DatagramChannel) {
            java.nio.channels.DatagramChannel socket = socketOf(channel);
            try {
                if (socket != null && socket.send(ByteBuffer.wrap(message), remote) > 0) {
                    return;
                }
            } catch (IOException e) {
                LOG.debug("UDP send to {} failed, queued on the loop: {}", remote, e.toString());
            }
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message), remote));
        } else {
            channel.writeAndFlush(Unpooled.wrappedBuffer(message));
        }
    }

    /**
     * Through the channel's event loop (what the kernel holds for it is read first), then through the call flow's
     * queue when the flow runs on one of its own ({@link CallFlowQueue}): behind every message received before now.
     */
    @Override
    public void afterReceived(Runnable task) {
        ChannelHandlerContext handler = channel.pipeline().context("handler");
        EventExecutor flow = handler == null ? channel.eventLoop() : handler.executor();
        Runnable behind = new AfterReceived(task);
        try {
            channel.eventLoop().execute(flow == channel.eventLoop() ? behind : () -> flow.execute(behind));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            behind.run(); // the loop is shutting down: nothing is queued behind which to wait
        }
    }

    /** A task that must run even when the call flow's queue is full (it then runs where it was refused). */
    record AfterReceived(Runnable task) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }

    private static java.nio.channels.DatagramChannel socketOf(Channel channel) {
        java.nio.channels.DatagramChannel socket = channel.attr(SOCKET).get();
        if (socket == null && JAVA_CHANNEL != null && channel instanceof AbstractNioChannel) {
            try {
                if ((SelectableChannel) JAVA_CHANNEL.invoke((AbstractNioChannel) channel) instanceof java.nio.channels.DatagramChannel d) {
                    channel.attr(SOCKET).setIfAbsent(d);
                    socket = d;
                }
            } catch (Throwable e) {
                LOG.debug("no JDK socket under {}: {}", channel, e.toString());
            }
        }
        return socket;
    }

    private static MethodHandle javaChannelHandle() {
        try {
            return MethodHandles.privateLookupIn(AbstractNioChannel.class, MethodHandles.lookup())
                    .findVirtual(AbstractNioChannel.class, "javaChannel", MethodType.methodType(SelectableChannel.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.info("UDP sends go through the event loops: {}", e.toString());
            return null;
        }
    }

    @Override
    public void hold() {
        holds.incrementAndGet();
    }

    @Override
    public void release() {
        holds.decrementAndGet();
    }

    /** Dialogs on the stream connection of {@code channel}; 0 when none ever used it. */
    static int holds(Channel channel) {
        NettySipConnection c = channel.attr(KEY).get();
        return c == null ? 0 : Math.max(0, c.holds.get());
    }

    /**
     * True when nothing arrived on this stream connection since {@code nanos} ({@link System#nanoTime()}) and no
     * dialog holds it: a request sent then went unanswered on a connection that may be wedged.
     */
    public boolean silentSince(long nanos) {
        KeepAlive watch = channel.pipeline().get(KeepAlive.class);
        return watch != null && watch.lastRead() - nanos < 0 && holds.get() <= 0;
    }

    @Override
    public javax.net.ssl.SSLSession tlsSession() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        return ssl == null || !ssl.handshakeFuture().isSuccess() ? null : ssl.engine().getSession();
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
