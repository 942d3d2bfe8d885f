package io.trunkgate.observe;

import java.net.InetSocketAddress;
import java.time.Duration;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.SipConnection;
import org.apache.camel.spi.ExecutorServiceManager;

/**
 * SIP traces to a Homer-side receiver over HEP v3 (UDP to {@code trunkgate.hep.address}): every message received and
 * sent, on both sides, the TLS side in clear text (the gateway that terminates TLS is the only place its SIP can be
 * seen). The call flow only queues a reference to the message's bytes; encoding and sending happen on the event loop
 * {@code trunkgate-hep}, which every 5 ms takes what was queued and sends it in one go: with Netty's native epoll
 * one {@code sendmmsg} per pass instead of a system call per trace (half the CPU per trace, docs/benchmarks.md). A
 * full queue drops traces and counts them: a trace never slows a call.
 */
final class HepSender {

    /**
     * Between two passes: at 1,200 calls/s ~80 traces, ~60 KB in one burst, within a receiver's default socket buffer
     * (208 KB holds ~250 such datagrams on loopback). Every 2 ms the thread's sleeps and wake-ups were 13% of its CPU
     * (perf, 1,000 calls/s; docs/benchmarks.md).
     */
    static final Duration PASS = Duration.ofMillis(5);

    private final InetSocketAddress receiver;
    private final HepEncoder encoder;
    private final Handoff<HepEncoder.Trace> handoff;
    private EventLoopGroup loop;
    private Channel socket;

    HepSender(InetSocketAddress receiver, int agentId, String password, int queue) {
        this.receiver = receiver;
        this.encoder = new HepEncoder(agentId, password);
        this.handoff = new Handoff<>("trunkgate-hep", PASS, queue, this::send, false);
    }

    /** From trunkgate.hep.*; null when trunkgate.hep.address is not set (HEP off). */
    static HepSender from(Settings settings) {
        return settings.find("trunkgate.hep.address").map(a -> new HepSender(address(a), settings.getInt("trunkgate.hep.agent-id", 0),
                settings.find("trunkgate.hep.password").orElse(null), settings.getInt("trunkgate.hep.queue", 1))).orElse(null);
    }

    private static InetSocketAddress address(String value) {
        int colon = value.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException();
            }
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(value.substring(0, colon).replace("[", "").replace("]", ""), port);
        } catch (NumberFormatException e) {
            throw new ConfigException("trunkgate.hep.address", "must be host:port (UDP), not '" + value + "'");
        }
    }

    /** A message received on ({@code received}) or sent on {@code connection}, now. */
    void trace(SipConnection connection, byte[] message, boolean received) {
        java.time.Instant now = java.time.Instant.now(); // microseconds on Linux (JDK 15+)
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        InetSocketAddress remote = connection.remoteAddress();
        InetSocketAddress local = connection.localAddress();
        boolean stream = !"udp".equals(connection.transport());
        handoff.offer(received ? new HepEncoder.Trace(message, remote, local, stream, micros)
                : new HepEncoder.Trace(message, local, remote, stream, micros));
    }

    /** On the loop: one trace into the channel's outbound buffer; the pass's flush sends them all. */
    private void send(HepEncoder.Trace trace) {
        ByteBuf packet = encoder.encode(trace, socket.alloc());
        if (packet == null) {
            throw new IllegalArgumentException("a message of " + trace.message().length + " bytes does not fit HEP v3");
        }
        socket.write(new DatagramPacket(packet, receiver), socket.voidPromise()); // a failure: exceptionCaught below
    }

    void start(ExecutorServiceManager threads) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threads.resolveThreadName("trunkgate-hep"), true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        socket = new Bootstrap().group(loop).channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        handoff.failed(cause); // the receiver unreachable, a send refused: counted, never fatal
                    }
                })
                // unconnected: a receiver that is down costs nothing (no ICMP error comes back to a write)
                .bind(new InetSocketAddress(receiver.getAddress() instanceof java.net.Inet6Address ? "::" : "0.0.0.0", 0))
                .sync().channel();
        // a socket buffer full (the kernel's, then 1 MB of Netty's): the pass stops, the queue fills, traces drop
        handoff.startOn(socket.eventLoop(), socket::isWritable, socket::flush);
    }

    void stop(ExecutorServiceManager threads) {
        handoff.stop(threads);
        if (loop != null) {
            loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    InetSocketAddress receiver() {
        return receiver;
    }

    Handoff<HepEncoder.Trace> handoff() {
        return handoff;
    }
}
