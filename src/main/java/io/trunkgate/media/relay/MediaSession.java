package io.trunkgate.media.relay;

import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.trunkgate.flow.Side;
import io.trunkgate.media.sdp.Endpoint;
import io.trunkgate.media.sdp.MediaPlan;
import io.trunkgate.media.sdp.PendingOffer;
import io.trunkgate.media.sdp.RelayAddress;
import io.trunkgate.media.sdp.SdesNegotiator;
import io.trunkgate.media.sdp.SrtpKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's media: an RTP/RTCP port pair on each side and its lifetime:
 * {@link State#OFFERED} when created for an offer, {@link State#ANSWERED} on the answer, {@link State#REKEYED}
 * after each later offer/answer (re-INVITE, UPDATE), {@link State#RELEASED} on BYE, CANCEL, a final error,
 * or {@code trunkgate.media.timeout} without packets. Trunk -> inside: SRTP unprotect then RTP; inside ->
 * trunk: protect then SRTP (or plain on both legs when the trunk leg negotiated RTP). All packet work and
 * every state change run on the session's one event loop, so the jitsi-srtp contexts need no locking.
 */
public final class MediaSession {

    private static final Logger LOG = LoggerFactory.getLogger(MediaSession.class);

    public enum State { OFFERED, ANSWERED, REKEYED, RELEASED }

    private final String id;
    private final MediaRelay relay;
    private final EventLoop loop;
    /** Per side, the address our SDP toward it carries (behind NAT: the public one, not the one bound). */
    private final Map<Side, String> advertised = new EnumMap<>(Side.class);
    private final Map<Side, RelayLeg> legs = new EnumMap<>(Side.class);
    private final Map<Side, StreamCounters> counters = new EnumMap<>(Side.class);
    private volatile State state = State.OFFERED;
    private volatile PendingOffer pendingOffer;
    private volatile MediaPlan plan;
    /** The answered plan the loop has not applied yet; {@link #appliedPlan} is the one in force (loop only). */
    private final AtomicReference<MediaPlan> toApply = new AtomicReference<>();
    /** Volatile for the standby's snapshot (issue #18); written on the loop only. */
    private volatile MediaPlan appliedPlan;
    /** A restored session's latched addresses and rollover counts, applied with its plan on the loop. */
    private final AtomicReference<SessionState> toRestore = new AtomicReference<>();
    private volatile long lastPacketNanos = System.nanoTime();
    private volatile String releaseReason;
    private final AtomicBoolean releasing = new AtomicBoolean();
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    MediaSession(String id, MediaRelay relay, EventLoop loop, String trunkAddress, String insideAddress, RelayLeg trunk,
            RelayLeg inside) {
        this.id = id;
        this.relay = relay;
        this.loop = loop;
        advertised.put(Side.TRUNK, trunkAddress);
        advertised.put(Side.INSIDE, insideAddress);
        legs.put(Side.TRUNK, trunk);
        legs.put(Side.INSIDE, inside);
        counters.put(Side.TRUNK, new StreamCounters());
        counters.put(Side.INSIDE, new StreamCounters());
    }

    public String id() {
        return id;
    }

    public State state() {
        return state;
    }

    /** Where {@code side} must send its media: what the SDP toward that side carries. */
    public RelayAddress relayAddress(Side side) {
        RelayLeg leg = legs.get(side);
        return new RelayAddress(advertised.get(side), leg.sockets.rtpPort, leg.sockets.rtpPort + 1);
    }

    /** Counters of the packets that arrived from {@code from}. */
    public StreamCounters counters(Side from) {
        return counters.get(from);
    }

    public Optional<PendingOffer> pendingOffer() {
        return Optional.ofNullable(pendingOffer);
    }

    public Optional<MediaPlan> plan() {
        return Optional.ofNullable(plan);
    }

    /** Why it was released (BYE, CANCEL, 4xx, timeout ...), or null while alive. */
    public String releaseReason() {
        return releaseReason;
    }

    /** An offer (first or re-offer) went through {@link SdesNegotiator}; its answer will complete it. */
    public void offered(PendingOffer offer) {
        requireAlive();
        this.pendingOffer = Objects.requireNonNull(offer);
    }

    /**
     * The offer was refused or withdrawn (a 488/491 to a re-INVITE or UPDATE): the previous plan stays in
     * force (RFC 3264 8: a failed re-offer leaves the session as it was).
     */
    public void withdrawOffer() {
        pendingOffer = null;
    }

    /**
     * The answer: its plan (endpoints, keys) applies from the next packet on; the second and later answers re-key.
     * The session's loop picks it up before it handles that packet, so the SIP thread neither waits for the loop
     * nor wakes it.
     */
    public void answered(MediaPlan newPlan) {
        requireAlive();
        toApply.set(newPlan);
        pendingOffer = null;
        plan = newPlan;
        state = state == State.OFFERED ? State.ANSWERED : State.REKEYED;
    }

    /** On the loop: the latest answer's plan, if one came since the last packet. */
    private void applyAnswer() {
        if (toApply.get() == null) {
            return; // the usual case on the packet path: a read, not an atomic swap
        }
        MediaPlan next = toApply.getAndSet(null);
        if (next != null) {
            apply(next);
            appliedPlan = next;
            SessionState restored = toRestore.getAndSet(null);
            if (restored != null && restored.plan() == next) {
                applyRestored(restored);
            }
        }
    }

    /** On the loop, right after the restored plan: what the old active had learnt beyond the SDP. */
    private void applyRestored(SessionState restored) {
        for (Side side : Side.values()) {
            SessionState.Latched latched = side == Side.TRUNK ? restored.trunk() : restored.inside();
            RelayLeg leg = legs.get(side);
            leg.latchedRtp = latched.rtp();
            leg.latchedRtcp = latched.rtcp();
        }
        RelayLeg trunk = legs.get(Side.TRUNK);
        if (trunk.unprotector != null) {
            trunk.unprotector.restore(restored.inbound());
        }
        if (trunk.protector != null) {
            trunk.protector.restore(restored.outbound());
            trunk.protector.restoreSrtcp(restored.outboundRtcp());
        }
    }

    /**
     * This session as a standby needs it (issue #18), or empty before its first answer. Any thread: reads only what
     * the loop publishes (the latched addresses, the rollover counts, each written when it moves). The counts belong
     * to the keys in force on the loop: after an answer the loop has not applied yet, the new keys start afresh.
     */
    public Optional<SessionState> snapshot() {
        MediaPlan answered = plan;
        if (answered == null || releasing.get()) {
            return Optional.empty();
        }
        SessionState restored = toRestore.get();
        if (restored != null && restored.plan() == answered) {
            return Optional.of(restored); // taken over, no packet since: what was restored is still the truth
        }
        RelayLeg trunk = legs.get(Side.TRUNK);
        RelayLeg inside = legs.get(Side.INSIDE);
        boolean current = appliedPlan == answered;
        SrtpUnprotector in = trunk.unprotector;
        SrtpProtector out = trunk.protector;
        return Optional.of(new SessionState(id, trunk.sockets.rtpPort, inside.sockets.rtpPort, answered,
                current ? new SessionState.Latched(trunk.latchedRtp, trunk.latchedRtcp) : SessionState.Latched.NONE,
                current ? new SessionState.Latched(inside.latchedRtp, inside.latchedRtcp) : SessionState.Latched.NONE,
                current && in != null ? in.rolloverCounts() : Map.of(),
                current && out != null ? out.rolloverCounts() : Map.of(),
                current && out != null ? out.srtcpIndexes() : Map.of()));
    }

    /** A saved session (failover): its plan, latched addresses and rollover counts apply from its next packet. */
    void restore(SessionState state) {
        toRestore.set(state);
        answered(state.plan());
    }

    /** On the loop: something a standby needs moved (a latch, a published rollover count). */
    private void stateChanged() {
        relay.changed(this);
    }

    private void apply(MediaPlan newPlan) {
        for (Side side : Side.values()) {
            RelayLeg leg = legs.get(side);
            Endpoint declared = newPlan.endpoint(side);
            if (!Objects.equals(declared.rtp(), leg.declared.rtp()) || declared.rtcpMux() != leg.declared.rtcpMux()) {
                leg.latchedRtp = null; // the remote moved: learn its source again
                leg.latchedRtcp = null;
            }
            leg.declared = declared;
        }
        RelayLeg trunk = legs.get(Side.TRUNK);
        SrtpKeys keys = newPlan.trunkKeys();
        if (keys == null) {
            trunk.closeCrypto();
            return;
        }
        if (trunk.previousUnprotector != null) {
            trunk.previousUnprotector.close();
        }
        trunk.previousUnprotector = trunk.unprotector;
        trunk.unprotector = new SrtpUnprotector(keys.inbound(), keys.inboundMki(), this::stateChanged);
        if (trunk.protector != null) {
            trunk.protector.close();
        }
        trunk.protector = new SrtpProtector(keys.outbound(), this::stateChanged);
    }

    /**
     * Releases the ports and logs the counters; idempotent. Blocks until a new call may have the ports (RELEASED),
     * so it must not be called on the session's event loop: the call flow uses {@link #releaseAsync}.
     */
    public void release(String reason) {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("release() would wait for its own event loop: use releaseAsync()");
        }
        releaseAsync(reason).join();
    }

    /**
     * Releases the ports and logs the counters, without waiting; idempotent. The legs let go of their sockets on
     * the session's loop, after any packet of the call it was handling, and the relay takes them back (pooled for
     * the next call, or closed). The future completes when a new call may have the ports (RELEASED).
     */
    public CompletableFuture<Void> releaseAsync(String reason) {
        if (!releasing.compareAndSet(false, true)) {
            return released;
        }
        releaseReason = reason;
        try {
            loop.execute(this::closeOnLoop);
        } catch (RejectedExecutionException e) {
            closeOnLoop(); // the relay is shutting down: its loop runs no more tasks
        }
        return released;
    }

    private void closeOnLoop() {
        try {
            legs.get(Side.TRUNK).closeCrypto();
            toApply.set(null);
        } catch (RuntimeException e) { // the ports must still go back and the future complete
            LOG.warn("media session {}: closing it failed: {}", id, e.toString());
        }
        relay.recycle(List.of(legs.get(Side.TRUNK).sockets, legs.get(Side.INSIDE).sockets)).whenComplete((v, e) -> {
            relay.released(this);
            state = State.RELEASED; // only now: a new call may have the ports when RELEASED is seen
            // DEBUG: a line per call at INFO was ~0.8 GB an hour at 1,000 calls/s and a share of the cold start's
            // compiles; the call detail record carries the same counters (docs/operations.md)
            if (LOG.isDebugEnabled()) {
                LOG.debug("media session {} released ({}): trunk->inside {}; inside->trunk {}", id, releaseReason,
                        counters.get(Side.TRUNK), counters.get(Side.INSIDE));
            }
            released.complete(null);
        });
    }

    long idleNanos(long now) {
        return now - lastPacketNanos;
    }

    /** A datagram arrived on one of our ports of {@code from}'s leg. Runs on the event loop. */
    void onPacket(Side from, boolean rtcpPort, DatagramPacket datagram) {
        lastPacketNanos = System.nanoTime();
        ByteBuf content = datagram.content();
        int length = content.readableBytes();
        StreamCounters stats = counters.get(from);
        stats.received(length);
        if (releasing.get()) {
            return;
        }
        applyAnswer();
        byte[] bytes = new byte[length + PacketBuffer.HEADROOM];
        content.getBytes(content.readerIndex(), bytes, 0, length);
        PacketBuffer packet = new PacketBuffer(bytes, 0, length);
        RelayLeg in = legs.get(from);
        RelayLeg out = legs.get(from.other());
        boolean isRtcp = rtcpPort || (length >= 2 && RtpPackets.rtcpPacketType(packet.uint8(1)));
        Optional<DropCause> verdict = process(in, out, packet, isRtcp, datagram.sender());
        if (verdict.isPresent()) {
            stats.dropped(verdict.get());
            return;
        }
        if (!out.send(isRtcp, packet, out.destination(isRtcp))) {
            stats.dropped(DropCause.SEND_FAILED);
            return;
        }
        stats.forwarded(packet.getLength());
    }

    private Optional<DropCause> process(RelayLeg in, RelayLeg out, PacketBuffer packet, boolean isRtcp,
            InetSocketAddress source) {
        if (appliedPlan == null || !appliedPlan.relayed()) {
            return Optional.of(DropCause.NO_DESTINATION);
        }
        if (isRtcp ? !RtpPackets.isRtcp(packet) : !RtpPackets.isRtp(packet)) {
            return Optional.of(DropCause.MALFORMED);
        }
        if (in.secure()) {
            Optional<DropCause> verdict = in.unprotect(packet, isRtcp);
            if (verdict.isPresent()) {
                return verdict; // never latched, never forwarded
            }
        }
        if (!in.latch(source, isRtcp)) {
            return Optional.of(DropCause.NOT_LATCHED);
        }
        if (in.latchMoved) {
            in.latchMoved = false;
            stateChanged();
        }
        if (out.destination(isRtcp) == null) {
            return Optional.of(DropCause.NO_DESTINATION);
        }
        if (out.secure()) {
            return isRtcp ? out.protector.protectRtcp(packet) : out.protector.protectRtp(packet);
        }
        return Optional.empty();
    }

    private void requireAlive() {
        if (releasing.get()) {
            throw new IllegalStateException("media session " + id + " is released (" + releaseReason + ")");
        }
    }
}
