package io.trunkgate.observe;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.SipConnection;
import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP traces to a Homer-side receiver over HEP v3 ({@code trunkgate.hep.address}): every message received and sent,
 * on both sides, the TLS side in clear text (the gateway that terminates TLS is the only place its SIP can be seen).
 * The call flow only queues a reference to the message's bytes; encoding and sending happen on the event loop
 * {@code trunkgate-hep}, which every 5 ms takes what was queued and sends it in one go. Over UDP (the default) with
 * Netty's native epoll that is one {@code sendmmsg} per pass instead of a system call per trace (half the CPU per
 * trace, docs/benchmarks.md), but still one datagram per trace through the kernel. Over TCP
 * ({@code trunkgate.hep.transport=tcp}, what heplify-server also takes) the packets of a pass follow each other on
 * one stream, a few segments per pass: a tenth of the kernel's time per trace (docs/benchmarks.md, session 16), and
 * no trace lost to a full receive buffer. A full queue drops traces and counts them: a trace never slows a call.
 */
final class HepSender {

    private static final Logger LOG = LoggerFactory.getLogger(HepSender.class);

    /** Reconnecting to a HEP receiver over TCP: the first wait, doubled each failure up to the longest. */
    static final Duration RECONNECT_FIRST = Duration.ofMillis(500);
    static final Duration RECONNECT_LONGEST = Duration.ofSeconds(30);

    /**
     * Between two passes: at 1,200 calls/s ~80 traces, ~60 KB in one burst, within a receiver's default socket buffer
     * (208 KB holds ~250 such datagrams on loopback). Every 2 ms the thread's sleeps and wake-ups were 13% of its CPU
     * (perf, 1,000 calls/s; docs/benchmarks.md).
     */
    static final Duration PASS = Duration.ofMillis(5);

    private final InetSocketAddress receiver;
    private final boolean tcp;
    private final HepEncoder encoder;
    private final Handoff<HepEncoder.Trace> handoff;
    private EventLoopGroup loop;
    /** UDP: the bound socket. TCP: the connection while it is up, else null (the loop's thread writes it). */
    private volatile Channel socket;
    private Bootstrap tcpBootstrap;
    private long reconnectMillis = RECONNECT_FIRST.toMillis();
    private boolean reconnectLogged;
    private volatile boolean stopped;

    HepSender(InetSocketAddress receiver, boolean tcp, int agentId, String password, int queue) {
        this.receiver = receiver;
        this.tcp = tcp;
        this.encoder = new HepEncoder(agentId, password);
        this.handoff = new Handoff<>("trunkgate-hep", PASS, queue, this::send, false);
    }

    /** From trunkgate.hep.*; null when trunkgate.hep.address is not set (HEP off). */
    static HepSender from(Settings settings) {
        return settings.find("trunkgate.hep.address").map(a -> new HepSender(address(a),
                "tcp".equals(settings.getChoice("trunkgate.hep.transport", "udp", "tcp")),
                settings.getInt("trunkgate.hep.agent-id", 0), settings.find("trunkgate.hep.password").orElse(null),
                settings.getInt("trunkgate.hep.queue", 1))).orElse(null);
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
            throw new ConfigException("trunkgate.hep.address", "must be host:port, not '" + value + "'");
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
        Channel s = socket;
        ByteBuf packet = encoder.encode(trace, s.alloc());
        if (packet == null) {
            throw new IllegalArgumentException("a message of " + trace.message().length + " bytes does not fit HEP v3");
        }
        // a HEP v3 packet carries its own length: over TCP the packets simply follow each other on the stream
        s.write(tcp ? packet : new DatagramPacket(packet, receiver), s.voidPromise()); // a failure: exceptionCaught
    }

    /** The next pass may write: a socket (TCP: connected) whose buffers are not full. */
    private boolean writable() {
        Channel s = socket;
        return s != null && s.isActive() && s.isWritable();
    }

    private void flush() {
        Channel s = socket;
        if (s != null) {
            s.flush();
        }
    }

    void start(ExecutorServiceManager threads) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threads.resolveThreadName("trunkgate-hep"), true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        // a socket buffer full (the kernel's, then 1 MB of Netty's): the pass stops, the queue fills, traces drop
        WriteBufferWaterMark buffered = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);
        if (tcp) {
            tcpBootstrap = new Bootstrap().group(loop).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, buffered)
                    .option(ChannelOption.TCP_NODELAY, true) // one flush per pass already gathers the writes
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                    .handler(new TcpLink());
            // not waited for: a receiver that is down at start delays nothing; traces queue, then drop, until it is up
            loop.execute(this::connect);
        } else {
            socket = new Bootstrap().group(loop).channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, buffered)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            handoff.failed(cause); // the receiver unreachable, a send refused: counted, never fatal
                        }
                    })
                    // unconnected: a receiver that is down costs nothing (no ICMP error comes back to a write)
                    .bind(new InetSocketAddress(receiver.getAddress() instanceof java.net.Inet6Address ? "::" : "0.0.0.0", 0))
                    .sync().channel();
        }
        handoff.startOn(loop.next(), this::writable, this::flush);
    }

    /** Each TCP connection's events (the same handler for every reconnect). */
    @ChannelHandler.Sharable
    private final class TcpLink extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg); // a HEP receiver answers nothing; whatever it sends is dropped
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            lost(ctx.channel(), "closed the connection");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            handoff.failed(cause); // a write the connection refused: counted, then reconnected
            ctx.close();
        }
    }

    /** On the loop: one attempt to connect to the receiver over TCP; a failure tries again later, never gives up. */
    private void connect() {
        if (stopped) {
            return;
        }
        tcpBootstrap.connect(receiver).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                socket = f.channel();
                reconnectMillis = RECONNECT_FIRST.toMillis();
                reconnectLogged = false;
                LOG.info("HEP receiver {} connected over TCP", receiver);
            } else {
                lost(null, "refused the connection (" + f.cause().getMessage() + ")");
            }
        });
    }

    /** On the loop: the TCP connection failed or ended; another attempt after a wait that doubles up to 30 s. */
    private void lost(Channel channel, String why) {
        if (channel != null && channel != socket) {
            return; // an older connection's late close
        }
        socket = null;
        if (stopped) {
            return;
        }
        if (!reconnectLogged) { // once per outage: a receiver down for hours must not flood the log
            reconnectLogged = true;
            LOG.warn("HEP receiver {} {}: traces are queued, then dropped and counted, until it is back; retrying",
                    receiver, why);
        }
        loop.schedule(this::connect, reconnectMillis, TimeUnit.MILLISECONDS);
        reconnectMillis = Math.min(reconnectMillis * 2, RECONNECT_LONGEST.toMillis());
    }

    void stop(ExecutorServiceManager threads) {
        stopped = true;
        handoff.stop(threads);
        if (loop != null) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    InetSocketAddress receiver() {
        return receiver;
    }

    /** "udp" or "tcp": how the traces travel to the receiver. */
    String transport() {
        return tcp ? "tcp" : "udp";
    }

    Handoff<HepEncoder.Trace> handoff() {
        return handoff;
    }
}
