package io.trunkgate.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
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
    private final java.util.concurrent.ExecutorService releaser;
    private volatile Consumer<MediaSession> releaseListener = s -> { };

    public MediaRelay(MediaSettings settings) {
        this.settings = settings;
        this.ports = new PortAllocator(settings.portMin(), settings.portMax());
        SrtpSetup.warmUp();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.channelType = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        this.group = new MultiThreadIoEventLoopGroup(io);
        // a thread of its own: release() waits for channels to close, which an event loop must not do
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trunkgate-media-timeout");
            t.setDaemon(true);
            return t;
        });
        // releases asked for by the call flow run here: closing sockets waits on the event loops, and the SIP route
        // thread (one per TLS connection) must not wait for that on every BYE
        this.releaser = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "trunkgate-media-release");
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
            if (sessions.putIfAbsent(callId, session) != null) {
                session.release("duplicate call id");
                throw new IllegalStateException("a media session for " + callId + " already exists");
            }
            return session;
        } catch (IOException | RuntimeException e) {
            ref.cleanup.forEach(c -> close(c, ref.jdkChannels.get(c)));
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
                close(rtp, ref.jdkChannels.get(rtp));
            }
            ports.release(rtpPort); // cursor moved on: the next attempt tries another pair
        }
        throw new IOException("no free media port pair in " + settings.portMin() + "-" + settings.portMax());
    }

    private Channel bind(EventLoop loop, SessionRef ref, Side side, boolean rtcp, int port) {
        InetSocketAddress local = new InetSocketAddress(settings.address(), port);
        Bootstrap bootstrap = new Bootstrap().group(loop).handler(new Receiver(ref, side, rtcp));
        if (channelType != NioDatagramChannel.class) {
            ChannelFuture f = bootstrap.channel(channelType).bind(local).awaitUninterruptibly();
            return f.isSuccess() ? f.channel() : null;
        }
        // NIO: we bind the JDK channel ourselves and keep it, so release() can tell when the OS closed it
        java.nio.channels.DatagramChannel jdk = null;
        try {
            jdk = java.nio.channels.DatagramChannel.open(
                    local.getAddress() instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            jdk.bind(local);
            java.nio.channels.DatagramChannel bound = jdk;
            // the port is bound now; the registration with the loop completes on its own (packets wait in the
            // socket buffer meanwhile): the SIP thread asking for ports never waits for another thread
            ChannelFuture f = bootstrap.channelFactory(() -> new NioDatagramChannel(bound)).register();
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    LOG.warn("media port {} bound but not registered with its event loop: {}", port, done.cause().toString());
                }
            });
            ref.jdkChannels.put(f.channel(), jdk);
            return f.channel();
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
     * Closes a channel and returns once its port is free again. The JDK defers closing a socket that is
     * registered with a selector until that selector's next select, so under NIO the channel is first
     * deregistered (bounded wait until the loop's selector let go of it) and its socket then closed here.
     */
    static void close(Channel channel, java.nio.channels.DatagramChannel jdk) {
        if (jdk != null && !channel.isRegistered() && !channel.eventLoop().isShuttingDown()) {
            // open() does not wait for the registration: a task queued behind it runs once it is done
            channel.eventLoop().submit(() -> { }).awaitUninterruptibly(100);
        }
        if (jdk != null && channel.isRegistered()) {
            EventLoop loop = channel.eventLoop();
            channel.deregister().awaitUninterruptibly();
            // the selector drops a cancelled key at its next select; a task wakes it, and the pause lets it get back
            // to selecting (tasks submitted back to back can all run in one pass of the loop's task queue without a
            // select between them: then the socket stayed bound ~1 ms after close, seen in 1 of ~1,500 releases)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (jdk.isRegistered() && !loop.isShuttingDown() && System.nanoTime() < deadline) {
                loop.submit(() -> { }).awaitUninterruptibly(100);
                if (jdk.isRegistered()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                }
            }
            try {
                jdk.close(); // not registered any more: the socket closes now
            } catch (IOException e) {
                LOG.debug("closing media socket: {}", e.toString());
            }
        }
        channel.close().awaitUninterruptibly();
    }

    /** Releases a session on the relay's own thread; its ports are free again shortly after (RELEASED). */
    public void releaseLater(MediaSession session, String reason) {
        try {
            releaser.execute(() -> session.release(reason));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            session.release(reason); // the relay is closing
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
                try {
                    s.release("no packets for " + settings.timeout().toSeconds() + " s");
                } catch (RuntimeException e) {
                    LOG.warn("releasing idle media session {} failed: {}", s.id(), e.toString());
                }
            }
        }
    }

    /** Releases every session and stops the event loops. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        releaser.shutdown();
        try {
            releaser.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (MediaSession s : sessions.values()) {
            s.release("relay shutdown");
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Lets channels bound before their session exists find it once it does. */
    private static final class SessionRef {
        volatile MediaSession session;
        final List<Channel> cleanup = new ArrayList<>();
        final Map<Channel, java.nio.channels.DatagramChannel> jdkChannels = new ConcurrentHashMap<>();
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
