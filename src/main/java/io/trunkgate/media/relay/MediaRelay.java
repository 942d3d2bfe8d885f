package io.trunkgate.media.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.trunkgate.flow.Side;
import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media relay: opens {@link MediaSession}s with two RTP/RTCP port pairs each from
 * {@code trunkgate.media.port-range}, the trunk leg's on the trunk side's address and the inside leg's on the
 * inside's (both {@code trunkgate.media.address} unless set apart), over Netty datagram channels
 * (NIO; native epoll with -Dtrunkgate.media.epoll=true), and releases sessions idle for
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
    private final List<Consumer<MediaSession>> releaseListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Consumer<MediaSession> changeListener = s -> { };
    /** The counters of released sessions, per side a packet came from (the metrics add the live sessions'). */
    private final Map<io.trunkgate.flow.Side, StreamCounters> releasedTotals = new java.util.EnumMap<>(Map.of(
            io.trunkgate.flow.Side.TRUNK, new StreamCounters(), io.trunkgate.flow.Side.INSIDE, new StreamCounters()));
    private final SocketPool pool = new SocketPool(this::closePairs);
    /** Pairs held by sessions, from open until recycle (closed ones until their ports are free). */
    private final AtomicInteger sessionPairs = new AtomicInteger();
    private final long lingerNanos;
    /**
     * A pooled pair goes to a new call only after resting this long, so late packets of the old call do not land
     * in the new one (what PortAllocator's round-robin cursor does for newly bound pairs).
     */
    private final long reuseDelayNanos;
    private static final long SOCKET_CLOSE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ExecutorServiceManager threads;

    /** @param threads Camel's ExecutorServiceManager: the timeout sweeper's thread, and the names of the event loops */
    public MediaRelay(MediaSettings settings, ExecutorServiceManager threads) {
        this(settings, Duration.ofSeconds(1), threads);
    }

    MediaRelay(MediaSettings settings, Duration reuseDelay, ExecutorServiceManager threads) {
        this.threads = threads;
        this.settings = settings;
        this.lingerNanos = settings.socketLinger().toNanos();
        this.reuseDelayNanos = Math.min(reuseDelay.toNanos(), lingerNanos);
        this.ports = new PortAllocator(settings.portMin(), settings.portMax());
        SrtpSetup.warmUp();
        // NIO unless asked: native epoll measured no faster for the relay (docs/benchmarks.md, session 4); its
        // library is on the class path for the HEP sender
        boolean epoll = Boolean.getBoolean("trunkgate.media.epoll") && Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.channelType = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        // Netty's own thread type (its thread-local caches are fastest there), named as Camel names its threads
        this.group = new MultiThreadIoEventLoopGroup(0,
                new DefaultThreadFactory(threads.resolveThreadName("trunkgate-media"), true), io);
        // a thread of its own: the idle check walks every session, which no event loop should do
        this.sweeper = threads.newSingleThreadScheduledExecutor(this, "trunkgate-media-timeout");
        long period = Math.max(50, Math.min(1000, settings.timeout().toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::releaseIdle, period, period, TimeUnit.MILLISECONDS);
        LOG.debug("media relay on {} ports {}-{} ({})", settings.address().getHostAddress(), settings.portMin(),
                settings.portMax(), epoll ? "epoll" : "nio");
    }

    /**
     * A session for a new call (on its first offer): an RTP/RTCP pair on each side, from the loop's pool of pairs
     * released by earlier calls when one has rested long enough, else newly bound, else the pool's longest-rested.
     *
     * @throws IOException when every port pair of the range is held by a live call
     */
    public MediaSession open(String callId) throws IOException {
        try {
            return open(callId, group.next(), reuseDelayNanos);
        } catch (IOException exhausted) {
            // every pair of the range is bound: pooled pairs, however briefly rested, beat a 503. First those of the
            // loop that has most; then, when no loop has two, every pooled pair is closed to bind its ports anew
            EventLoop fullest = pool.fullest();
            if (fullest != null) {
                try {
                    return open(callId, fullest, 0);
                } catch (IOException stillExhausted) {
                    // one pooled pair there and none free in the range
                }
            }
            if (closeAllPooled()) {
                return open(callId, group.next(), 0);
            }
            throw exhausted;
        }
    }

    private MediaSession open(String callId, EventLoop loop, long minRestNanos) throws IOException {
        // all four channels on one loop: no locking in the packet path
        List<SocketPair> fresh = new ArrayList<>(2);
        List<SocketPair> taken = new ArrayList<>(2);
        MediaSession session;
        try {
            SocketPair trunk = pair(loop, Side.TRUNK, minRestNanos, fresh, taken);
            SocketPair inside = pair(loop, Side.INSIDE, minRestNanos, fresh, taken);
            session = new MediaSession(callId, this, loop, settings.advertised(Side.TRUNK), settings.advertised(Side.INSIDE),
                    new RelayLeg(Side.TRUNK, trunk), new RelayLeg(Side.INSIDE, inside));
            trunk.owner = new SocketPair.Owner(session, Side.TRUNK);
            inside.owner = new SocketPair.Owner(session, Side.INSIDE);
            register(loop, fresh);
        } catch (IOException | RuntimeException e) {
            fresh.forEach(this::closeUnregistered);
            taken.forEach(pool::putBack);
            throw e;
        }
        sessionPairs.addAndGet(2);
        if (sessions.putIfAbsent(callId, session) != null) {
            session.releaseAsync("duplicate call id");
            throw new IllegalStateException("a media session for " + callId + " already exists");
        }
        return session;
    }

    /**
     * A pair for one leg of a new session on {@code loop}: a pooled one rested long enough, else a new one, else
     * (every pair of the range bound) the loop's longest-rested pooled one, however briefly rested. That last case
     * is routine near the top rate: calls/s x 2 pairs x the 1-s rest fill a 5,000-port range at 1,250 calls/s, so
     * it takes no exception and no lock beyond the pool's.
     */
    private SocketPair pair(EventLoop loop, Side side, long minRestNanos, List<SocketPair> fresh, List<SocketPair> taken)
            throws IOException {
        SocketPair pair = pool.take(loop, side, minRestNanos);
        if (pair == null) {
            pair = bindPair(loop, side);
            if (pair != null) {
                fresh.add(pair);
                return pair;
            }
            pair = pool.take(loop, side, 0);
            if (pair == null) {
                throw new IOException("no free media port pair in " + settings.portMin() + "-" + settings.portMax());
            }
        }
        taken.add(pair);
        return pair;
    }



    /** Closes every pooled pair and waits (bounded) until their ports are free: true if there were any. */
    private boolean closeAllPooled() {
        List<CompletableFuture<Void>> closing = pool.closeRested(0);
        await(closing, 2, "pooled media ports not closed");
        return !closing.isEmpty();
    }

    /** Waits at most {@code seconds} for every future; a warning names {@code what} did not finish in time. */
    private static void await(List<CompletableFuture<Void>> futures, int seconds, String what) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("{} in {} s: {}", what, seconds, e.toString());
        }
    }


    /**
     * Takes back the pairs of a released session, on its loop once nothing of the session runs there any more:
     * pooled for the next calls, or closed at once when {@code socket-linger} is 0. The future completes when the
     * pairs are pooled or their ports are free.
     */
    CompletableFuture<Void> recycle(List<SocketPair> pairs) {
        if (lingerNanos == 0 || group.isShuttingDown()) {
            pairs.forEach(p -> p.owner = null); // the pool does it for pooled pairs
            return closePairs(pairs).whenComplete((v, e) -> sessionPairs.addAndGet(-pairs.size()));
        }
        pairs.forEach(pool::add);
        sessionPairs.addAndGet(-pairs.size());
        return CompletableFuture.completedFuture(null);
    }



    /** The pair on {@code rtpPort} (and the next), reserved and bound, or an IOException naming why not. */
    private SocketPair bindPair(EventLoop loop, Side side, int rtpPort) throws IOException {
        if (!ports.reserve(rtpPort)) {
            throw new IOException("media port " + rtpPort + " is outside " + settings.portMin() + "-" + settings.portMax()
                    + " or in use here");
        }
        SocketPair pair = new SocketPair(rtpPort, loop, side);
        if (bind(pair, false) && bind(pair, true)) {
            return pair;
        }
        if (pair.rtp != null) {
            closeUnregistered(pair);
        } else {
            ports.release(rtpPort);
        }
        throw new IOException("media ports " + rtpPort + "/" + (rtpPort + 1) + " cannot be bound on "
                + settings.bind(side).getHostAddress() + " (taken by another process?)");
    }

    /** A newly bound pair, or null when no pair of the range is free (or every free one is held by another process). */
    private SocketPair bindPair(EventLoop loop, Side side) {
        // bounded: at most one attempt per pair in the range (another process may hold some ports)
        for (int attempt = 0; attempt < ports.pairs(); attempt++) {
            OptionalInt port = ports.reserve();
            if (port.isEmpty()) {
                break;
            }
            SocketPair pair = new SocketPair(port.getAsInt(), loop, side);
            if (bind(pair, false) && bind(pair, true)) {
                return pair;
            }
            if (pair.rtp != null) {
                closeUnregistered(pair);
            } else {
                ports.release(pair.rtpPort); // cursor moved on: the next attempt tries another pair
            }
        }
        return null;
    }

    private boolean bind(SocketPair pair, boolean rtcp) {
        InetSocketAddress local = new InetSocketAddress(settings.bind(pair.side), rtcp ? pair.rtpPort + 1 : pair.rtpPort);
        Receiver receiver = new Receiver(pair, rtcp);
        Channel channel = null;
        java.nio.channels.DatagramChannel jdk = null;
        if (channelType != NioDatagramChannel.class) {
            ChannelFuture f = new Bootstrap().group(pair.loop).handler(receiver).channel(channelType).bind(local)
                    .awaitUninterruptibly();
            if (!f.isSuccess()) {
                return false;
            }
            channel = f.channel();
        } else {
            // NIO: we bind the JDK channel ourselves and keep it, so a close can tell when the OS let go of the port
            try {
                jdk = java.nio.channels.DatagramChannel.open(local.getAddress() instanceof java.net.Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                jdk.bind(local);
                channel = new NioDatagramChannel(jdk);
                channel.pipeline().addLast(receiver);
            } catch (IOException e) {
                if (jdk != null) {
                    try {
                        jdk.close(); // taken by someone else: the caller tries the next pair
                    } catch (IOException ignored) {
                        // nothing bound
                    }
                }
                return false;
            }
        }
        if (rtcp) {
            pair.rtcp = channel;
            pair.rtcpSocket = jdk;
        } else {
            pair.rtp = channel;
            pair.rtpSocket = jdk;
        }
        return true;
    }

    /**
     * Registers newly bound NIO channels with their loop in one task: the ports are bound already (packets wait
     * in the socket buffers meanwhile), so the SIP thread asking for them never waits for the loop, and the loop
     * wakes once per call, not once per channel; a call on pooled pairs only does not wake it at all.
     */
    private static void register(EventLoop loop, List<SocketPair> pairs) {
        List<Channel> pending = pairs.stream().flatMap(p -> java.util.stream.Stream.of(p.rtp, p.rtcp))
                .filter(c -> !c.isRegistered()).toList();
        if (pending.isEmpty()) {
            return; // pooled, or epoll: bound and registered by their bootstrap
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

    /** Closes a pair of a failed open: NIO ones were never registered with a loop, so their sockets close at once. */
    private void closeUnregistered(SocketPair pair) {
        for (Channel c : new Channel[] {pair.rtp, pair.rtcp}) {
            if (c == null) {
                continue;
            }
            java.nio.channels.DatagramChannel jdk = c == pair.rtp ? pair.rtpSocket : pair.rtcpSocket;
            if (jdk == null) {
                c.close().awaitUninterruptibly(); // epoll: bound and registered by its bootstrap
                continue;
            }
            try {
                jdk.close();
            } catch (IOException e) {
                LOG.debug("closing media socket: {}", e.toString());
            }
        }
        ports.release(pair.rtpPort);
    }

    /**
     * Closes pairs on their loop and hands their ports back once the OS let go of them: the JDK closes a socket
     * registered with a selector at that selector's next select, so the check runs in the loop's next iteration,
     * then every ms up to a limit. The future completes when the ports are free.
     */
    private CompletableFuture<Void> closePairs(List<SocketPair> pairs) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (pairs.isEmpty()) {
            done.complete(null);
            return done;
        }
        EventLoop loop = pairs.get(0).loop;
        Runnable close = () -> {
            pairs.forEach(SocketPair::close);
            long deadline = System.nanoTime() + SOCKET_CLOSE_LIMIT_NANOS;
            Runnable check = () -> awaitClosed(pairs, deadline, done);
            try {
                if (loop instanceof SingleThreadEventLoop l) {
                    // queued at the end of this iteration, so it runs in the next one, after its select: no timer
                    l.executeAfterEventLoopIteration(() -> loop.execute(check));
                } else {
                    loop.schedule(check, 1, TimeUnit.MILLISECONDS);
                }
            } catch (RejectedExecutionException e) {
                check.run(); // shutting down
            }
        };
        if (loop.inEventLoop()) {
            close.run();
        } else {
            try {
                loop.execute(close);
            } catch (RejectedExecutionException e) {
                close.run(); // the relay is shutting down: its loop runs no more tasks
            }
        }
        return done;
    }

    private void awaitClosed(List<SocketPair> pairs, long deadline, CompletableFuture<Void> done) {
        boolean open = pairs.stream().anyMatch(SocketPair::socketsOpen);
        EventLoop loop = pairs.get(0).loop;
        if (open && System.nanoTime() < deadline && !loop.isShuttingDown()) {
            try {
                loop.schedule(() -> awaitClosed(pairs, deadline, done), 1, TimeUnit.MILLISECONDS);
                return;
            } catch (RejectedExecutionException e) {
                // shutting down: the group closes every socket itself
            }
        }
        if (open) {
            LOG.warn("media {} still open {} ms after close", pairs, TimeUnit.NANOSECONDS.toMillis(SOCKET_CLOSE_LIMIT_NANOS));
        }
        pairs.forEach(p -> ports.release(p.rtpPort));
        done.complete(null);
    }

    /** Ports currently held by live sessions (pooled ones are free for the next call). */
    public int portsInUse() {
        return 2 * sessionPairs.get();
    }

    /** Ports bound and waiting in the pool for the next call, until the socket linger closes them. */
    public int portsPooled() {
        return 2 * pool.idlePairs();
    }

    /** How many event loops the relay spreads sessions over (round robin). */
    int eventLoops() {
        int n = 0;
        for (io.netty.util.concurrent.EventExecutor ignored : group) {
            n++;
        }
        return n;
    }

    /** Releases every session (this instance stopped being the active one, issue #18); does not wait. */
    public void releaseAll(String reason) {
        sessions.values().forEach(s -> s.releaseAsync(reason));
    }

    public int sessionCount() {
        return sessions.size();
    }

    public MediaSession session(String callId) {
        return sessions.get(callId);
    }

    /**
     * Told about every released session, whatever released it (the timeout included), so whoever keeps
     * per-call state beside the session (the srtpBridge step, the HA call store) can forget it. Runs on the
     * releasing thread.
     */
    public void onRelease(Consumer<MediaSession> listener) {
        if (!releaseListeners.contains(listener)) {
            releaseListeners.add(listener);
        }
    }

    /**
     * Told when a session's state that a standby needs changed on its loop: a latched address moved, or an SRTP
     * stream's rollover count was published anew (issue #18). Runs on the session's event loop: it must only take note.
     */
    public void onChange(Consumer<MediaSession> listener) {
        this.changeListener = listener;
    }

    void changed(MediaSession session) {
        try {
            changeListener.accept(session);
        } catch (RuntimeException e) {
            LOG.debug("media change listener failed for {}: {}", session.id(), e.toString());
        }
    }

    /**
     * A session saved by another instance (a failover, issue #18): its two port pairs bound again on the same
     * ports, its answer, latched addresses and SRTP rollover counts in force from its next packet.
     *
     * @throws IOException when one of its ports cannot be bound here (outside the range, or taken)
     */
    public MediaSession restore(SessionState state) throws IOException {
        EventLoop loop = group.next();
        List<SocketPair> fresh = new ArrayList<>(2);
        MediaSession session;
        try {
            SocketPair trunk = bindPair(loop, Side.TRUNK, state.trunkPort());
            fresh.add(trunk);
            SocketPair inside = bindPair(loop, Side.INSIDE, state.insidePort());
            fresh.add(inside);
            session = new MediaSession(state.callId(), this, loop, settings.advertised(Side.TRUNK),
                    settings.advertised(Side.INSIDE), new RelayLeg(Side.TRUNK, trunk), new RelayLeg(Side.INSIDE, inside));
            trunk.owner = new SocketPair.Owner(session, Side.TRUNK);
            inside.owner = new SocketPair.Owner(session, Side.INSIDE);
            register(loop, fresh);
        } catch (IOException | RuntimeException e) {
            fresh.forEach(this::closeUnregistered);
            throw e;
        }
        sessionPairs.addAndGet(2);
        if (sessions.putIfAbsent(state.callId(), session) != null) {
            session.releaseAsync("duplicate call id");
            throw new IllegalStateException("a media session for " + state.callId() + " already exists");
        }
        session.restore(state);
        return session;
    }

    void released(MediaSession session) {
        synchronized (releasedTotals) { // totals() never sees a session twice or not at all: its counters only grow
            if (sessions.remove(session.id(), session)) {
                releasedTotals.forEach((side, total) -> total.add(session.counters(side)));
            }
        }
        for (Consumer<MediaSession> listener : releaseListeners) {
            try {
                listener.accept(session);
            } catch (RuntimeException e) {
                LOG.warn("media release listener failed for {}: {}", session.id(), e.toString());
            }
        }
    }

    /**
     * Packets, bytes and drops by cause of every session since the relay started, released and live, for packets
     * that came from {@code side} (metrics). Sums the live sessions: read it at a scrape, not per packet.
     */
    public StreamCounters totals(io.trunkgate.flow.Side side) {
        StreamCounters sum = new StreamCounters();
        synchronized (releasedTotals) {
            sum.add(releasedTotals.get(side));
            for (MediaSession s : sessions.values()) {
                sum.add(s.counters(side));
            }
        }
        return sum;
    }

    private void releaseIdle() {
        pool.closeRested(lingerNanos); // pairs idle longer than the linger: their ports go back to the range
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
        threads.shutdownNow(sweeper);
        await(sessions.values().stream().map(s -> s.releaseAsync("relay shutdown")).toList(), 5,
                "media relay shutdown: not every session released");
        pool.closeRested(0);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        private final SocketPair pair;
        private final boolean rtcp;

        Receiver(SocketPair pair, boolean rtcp) {
            this.pair = pair;
            this.rtcp = rtcp;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            SocketPair.Owner owner = pair.owner;
            if (owner != null) { // none while the pair is pooled: a late packet of the last call ends here
                owner.session().onPacket(owner.side(), rtcp, packet);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable and the like: a UDP relay keeps going
            LOG.debug("media channel {}: {}", ctx.channel().localAddress(), cause.toString());
        }
    }
}
