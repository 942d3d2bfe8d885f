package io.trunkgate.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;

/**
 * The media relay (issue #6 part 2): opens {@link MediaSession}s with two RTP/RTCP port pairs each from
 * {@code trunkgate.media.port-range} on {@code trunkgate.media.address}, over Netty datagram channels
 * (native epoll when its library is on the class path, NIO otherwise), and releases sessions idle for
 * {@code trunkgate.media.timeout}. Every port goes back to the pool when its session is released.
 */
public final class MediaRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaRelay.class);

    private final MediaSettings settings;
    private final PortAllocator ports;
    private final EventLoopGroup group;
    private final Class<? extends DatagramChannel> channelType;
    private final Map<String, MediaSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private volatile Consumer<MediaSession> releaseListener = s -> { };

    public MediaRelay(MediaSettings settings) {
        this.settings = settings;
        this.ports = new PortAllocator(settings.portMin(), settings.portMax());
        SrtpSetup.warmUp();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.channelType = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        this.group = new MultiThreadIoEventLoopGroup(io);
        // a thread of its own: the idle check walks every session, which no event loop should do
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trunkgate-media-timeout");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, Math.min(1000, settings.timeout().toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::releaseIdle, period, period, TimeUnit.MILLISECONDS);
        LOG.debug("media relay on {} ports {}-{} ({})", settings.address().getHostAddress(), settings.portMin(),
                settings.portMax(), epoll ? "epoll" : "nio");
    }

    /**
     * A session for a new call (on its first offer): binds RTP and RTCP on both sides.
     *
     * @throws IOException when no port pair in the range can be bound
     */
    public MediaSession open(String callId) throws IOException {
        EventLoop loop = group.next(); // all four channels on one loop: no locking in the packet path
        SessionRef ref = new SessionRef();
        List<Integer> reserved = new ArrayList<>();
        try {
            RelayLeg trunk = bindLeg(Side.TRUNK, loop, ref, reserved);
            RelayLeg inside = bindLeg(Side.INSIDE, loop, ref, reserved);
            MediaSession session = new MediaSession(callId, this, loop, settings.address().getHostAddress(), trunk, inside);
            ref.session = session;
            register(loop, ref.cleanup);
            if (sessions.putIfAbsent(callId, session) != null) {
                session.release("duplicate call id");
                throw new IllegalStateException("a media session for " + callId + " already exists");
            }
            return session;
        } catch (IOException | RuntimeException e) {
            ref.cleanup.forEach(c -> closeUnregistered(c, ref.jdkChannels.get(c)));
            reserved.forEach(ports::release);
            throw e;
        }
    }

    private RelayLeg bindLeg(Side side, EventLoop loop, SessionRef ref, List<Integer> reserved) throws IOException {
        // bounded: at most one attempt per pair in the range (another process may hold some ports)
        for (int attempt = 0; attempt < ports.pairs(); attempt++) {
            OptionalInt port = ports.reserve();
            if (port.isEmpty()) {
                break;
            }
            int rtpPort = port.getAsInt();
            Channel rtp = bind(loop, ref, side, false, rtpPort);
            Channel rtcp = rtp == null ? null : bind(loop, ref, side, true, rtpPort + 1);
            if (rtp != null && rtcp != null) {
                reserved.add(rtpPort);
                ref.cleanup.add(rtp);
                ref.cleanup.add(rtcp);
                return new RelayLeg(side, rtpPort, rtp, rtcp, ref.jdkChannels.get(rtp), ref.jdkChannels.get(rtcp));
            }
            if (rtp != null) {
                closeUnregistered(rtp, ref.jdkChannels.get(rtp));
            }
            ports.release(rtpPort); // cursor moved on: the next attempt tries another pair
        }
        throw new IOException("no free media port pair in " + settings.portMin() + "-" + settings.portMax());
    }

    private Channel bind(EventLoop loop, SessionRef ref, Side side, boolean rtcp, int port) {
        InetSocketAddress local = new InetSocketAddress(settings.address(), port);
        Receiver receiver = new Receiver(ref, side, rtcp);
        if (channelType != NioDatagramChannel.class) {
            ChannelFuture f = new Bootstrap().group(loop).handler(receiver).channel(channelType).bind(local)
                    .awaitUninterruptibly();
            return f.isSuccess() ? f.channel() : null;
        }
        // NIO: we bind the JDK channel ourselves and keep it, so a release can tell when the OS closed it
        java.nio.channels.DatagramChannel jdk = null;
        try {
            jdk = java.nio.channels.DatagramChannel.open(
                    local.getAddress() instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            jdk.bind(local);
            Channel channel = new NioDatagramChannel(jdk);
            channel.pipeline().addLast(receiver);
            ref.jdkChannels.put(channel, jdk);
            return channel;
        } catch (IOException e) {
            // taken by someone else: the caller tries the next pair
        }
        if (jdk != null) {
            try {
                jdk.close();
            } catch (IOException e) {
                // nothing bound
            }
        }
        return null;
    }

    /**
     * Registers a session's bound NIO channels with its loop in one task: the ports are bound already (packets
     * wait in the socket buffers meanwhile), so the SIP thread asking for them never waits for the loop, and
     * the loop wakes once per call, not once per channel.
     */
    private static void register(EventLoop loop, List<Channel> channels) {
        List<Channel> pending = channels.stream().filter(c -> !c.isRegistered()).toList();
        if (pending.isEmpty()) {
            return; // epoll: bound and registered by their bootstrap
        }
        loop.execute(() -> {
            for (Channel c : pending) {
                loop.register(c).addListener(done -> {
                    if (!done.isSuccess()) {
                        LOG.warn("media port {} bound but not registered with its event loop: {}", c.localAddress(),
                                done.cause().toString());
                    }
                });
            }
        });
    }

    /** Closes a channel of a failed open: NIO ones were never registered with a loop, so their sockets close at once. */
    private static void closeUnregistered(Channel channel, java.nio.channels.DatagramChannel jdk) {
        if (jdk == null) {
            channel.close().awaitUninterruptibly(); // epoll: bound and registered by its bootstrap
            return;
        }
        try {
            jdk.close();
        } catch (IOException e) {
            LOG.debug("closing media socket: {}", e.toString());
        }
    }

    /** Ports currently held by live sessions. */
    public int portsInUse() {
        return ports.portsInUse();
    }

    public int sessionCount() {
        return sessions.size();
    }

    public MediaSession session(String callId) {
        return sessions.get(callId);
    }

    /**
     * Told about every released session, whatever released it (the timeout included), so whoever keeps
     * per-call state beside the session (the srtpBridge step) can forget it. Runs on the releasing thread.
     */
    public void onRelease(Consumer<MediaSession> listener) {
        this.releaseListener = listener;
    }

    void released(MediaSession session, int trunkPort, int insidePort) {
        sessions.remove(session.id(), session);
        ports.release(trunkPort);
        ports.release(insidePort);
        try {
            releaseListener.accept(session);
        } catch (RuntimeException e) {
            LOG.warn("media release listener failed for {}: {}", session.id(), e.toString());
        }
    }

    private void releaseIdle() {
        long now = System.nanoTime();
        long limit = settings.timeout().toNanos();
        for (MediaSession s : sessions.values()) {
            if (s.idleNanos(now) > limit) {
                s.releaseAsync("no packets for " + settings.timeout().toSeconds() + " s");
            }
        }
    }

    /** Releases every session and stops the event loops. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        List<CompletableFuture<Void>> releases = sessions.values().stream().map(s -> s.releaseAsync("relay shutdown")).toList();
        try {
            CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("media relay shutdown: not every session released in 5 s: {}", e.toString());
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Lets channels bound before their session exists find it once it does. */
    private static final class SessionRef {
        volatile MediaSession session;
        final List<Channel> cleanup = new ArrayList<>();
        final Map<Channel, java.nio.channels.DatagramChannel> jdkChannels = new java.util.HashMap<>();
    }

    private static final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        private final SessionRef ref;
        private final Side side;
        private final boolean rtcp;

        Receiver(SessionRef ref, Side side, boolean rtcp) {
            this.ref = ref;
            this.side = side;
            this.rtcp = rtcp;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            MediaSession session = ref.session;
            if (session != null) {
                session.onPacket(side, rtcp, packet);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable and the like: a UDP relay keeps going
            LOG.debug("media channel {}: {}", ctx.channel().localAddress(), cause.toString());
        }
    }
}
