package io.trunkgate.media.relay;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;

/**
 * RTP -> SRTP and RTCP -> SRTCP with our sending key, one jitsi-srtp context per SSRC (RFC 3711 keeps
 * the rollover counter and replay state per SSRC), beside its {@link RolloverCount} (saved for a standby, issue #18;
 * a context for a restored SSRC starts with the ROC the saved count implies). Not thread-safe: a session runs on one
 * event loop.
 */
public final class SrtpProtector implements AutoCloseable {

    /** Bounds the contexts one call can make (a misbehaving inside must not grow memory). */
    static final int MAX_SSRCS = 16;

    /** Our SRTCP index is published after the first packet and every this many (RTCP: about every 5 minutes). */
    static final int SRTCP_PUBLISH_EVERY = 64;
    /** jitsi-srtp's SRTCP send index has no setter: a restored stream's is set here (null: cannot, starts at 0). */
    private static final java.lang.reflect.Field SENT_INDEX = sentIndexField();

    private static final class SrtcpStream {
        final SrtcpCryptoContext context;
        int sent;
        boolean published;

        SrtcpStream(SrtcpCryptoContext context, int sent) {
            this.context = context;
            this.sent = sent;
        }
    }

    private final SrtpContextFactory factory;
    private final SrtpStreams<SrtpCryptoContext> rtp;
    private final Map<Integer, SrtcpStream> rtcp = new HashMap<>();
    private final Runnable changed;
    private Map<Integer, Long> rtcpRestored = Map.of();
    private volatile Map<Integer, Long> rtcpPublished = Map.of();

    public SrtpProtector(MasterKey key) {
        this(key, () -> { });
    }

    /** @param changed told (on the loop) when a stream's rollover count was published anew */
    public SrtpProtector(MasterKey key, Runnable changed) {
        CryptoSuite suite = key.suite();
        this.factory = new SrtpContextFactory(true, key.key(), key.salt(), suite.srtpPolicy(), suite.srtcpPolicy(),
                SrtpSetup.logger());
        this.rtp = new SrtpStreams<>(changed);
        this.changed = changed;
    }

    /** The rollover counts of our streams (SSRC -> roc << 16 | highest sequence), as last published. Any thread. */
    public Map<Integer, Long> rolloverCounts() {
        return rtp.published();
    }

    /** Counts saved by another instance: contexts for these SSRCs start from them. Before the first packet. */
    public void restore(Map<Integer, Long> counts) {
        rtp.restore(counts);
    }

    /**
     * Our SRTCP send index per SSRC, as last published (a lower bound: published every {@link #SRTCP_PUBLISH_EVERY}).
     * Any thread.
     */
    public Map<Integer, Long> srtcpIndexes() {
        return rtcpPublished;
    }

    /**
     * SRTCP indexes saved by another instance: a restored SSRC's index goes on past them (by twice the publishing
     * step, beyond any the old active can have sent), so the remote's SRTCP replay check accepts what we send.
     */
    public void restoreSrtcp(Map<Integer, Long> indexes) {
        rtcpRestored = Map.copyOf(indexes);
        rtcpPublished = Map.copyOf(indexes);
    }

    /** Protects an RTP packet in place; empty when done, otherwise why it must be dropped. */
    public Optional<DropCause> protectRtp(PacketBuffer packet) {
        if (!RtpPackets.isRtp(packet)) {
            return Optional.of(DropCause.MALFORMED);
        }
        int ssrc = packet.int32(8);
        int seq = packet.uint16(2);
        SrtpStreams.Stream<SrtpCryptoContext> stream = rtp.get(ssrc);
        try {
            if (stream == null || stream.context == null) {
                if (stream == null && rtp.size() >= MAX_SSRCS) {
                    return Optional.of(DropCause.SSRC_LIMIT);
                }
                stream = rtp.open(ssrc);
                stream.context = factory.deriveContext(ssrc, stream.count.guess(seq));
            }
            Optional<DropCause> verdict = verdict(stream.context.transformPacket(packet));
            if (verdict.isEmpty()) {
                rtp.accepted(stream, seq);
            }
            return verdict;
        } catch (GeneralSecurityException e) {
            return Optional.of(DropCause.PROTECT_FAILED);
        }
    }

    /** Protects an RTCP compound packet in place (SRTCP index and E flag added). */
    public Optional<DropCause> protectRtcp(PacketBuffer packet) {
        if (!RtpPackets.isRtcp(packet)) {
            return Optional.of(DropCause.MALFORMED);
        }
        int ssrc = packet.int32(4);
        SrtcpStream stream = rtcp.get(ssrc);
        try {
            if (stream == null) {
                if (rtcp.size() >= MAX_SSRCS) {
                    return Optional.of(DropCause.SSRC_LIMIT);
                }
                stream = new SrtcpStream(factory.deriveControlContext(ssrc), 0);
                Long saved = rtcpRestored.get(ssrc);
                if (saved != null && SENT_INDEX != null) {
                    stream.sent = (int) Math.min(0x7fffffffL, saved + 2L * SRTCP_PUBLISH_EVERY);
                    SENT_INDEX.setInt(stream.context, stream.sent);
                }
                rtcp.put(ssrc, stream);
            }
            Optional<DropCause> verdict = verdict(stream.context.transformPacket(packet));
            if (verdict.isEmpty() && (stream.sent++ % SRTCP_PUBLISH_EVERY == 0 || !stream.published)) {
                stream.published = true;
                Map<Integer, Long> copy = new HashMap<>(rtcpPublished);
                copy.put(ssrc, (long) stream.sent);
                rtcpPublished = Map.copyOf(copy);
                changed.run();
            }
            return verdict;
        } catch (GeneralSecurityException | IllegalAccessException e) {
            return Optional.of(DropCause.PROTECT_FAILED);
        }
    }

    private static java.lang.reflect.Field sentIndexField() {
        try {
            java.lang.reflect.Field f = SrtcpCryptoContext.class.getDeclaredField("sentIndex");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(SrtpProtector.class).warn("jitsi-srtp's SRTCP send index cannot be set ({}):"
                    + " after a failover our SRTCP restarts at index 0 (RTP is not affected)", e.toString());
            return null;
        }
    }

    private static Optional<DropCause> verdict(SrtpErrorStatus status) {
        return status == SrtpErrorStatus.OK ? Optional.empty() : Optional.of(DropCause.PROTECT_FAILED);
    }

    @Override
    public void close() {
        factory.close();
        rtp.clear();
        rtcp.clear();
    }
}
