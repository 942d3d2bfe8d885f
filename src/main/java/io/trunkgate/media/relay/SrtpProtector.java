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
 * the rollover counter and replay state per SSRC). Not thread-safe: a session runs on one event loop.
 */
public final class SrtpProtector implements AutoCloseable {

    /** Bounds the contexts one call can make (a misbehaving inside must not grow memory). */
    static final int MAX_SSRCS = 16;

    private final SrtpContextFactory factory;
    private final Map<Integer, SrtpCryptoContext> rtp = new HashMap<>();
    private final Map<Integer, SrtcpCryptoContext> rtcp = new HashMap<>();

    public SrtpProtector(MasterKey key) {
        CryptoSuite suite = key.suite();
        this.factory = new SrtpContextFactory(true, key.key(), key.salt(), suite.srtpPolicy(), suite.srtcpPolicy(),
                SrtpSetup.logger());
    }

    /** Protects an RTP packet in place; empty when done, otherwise why it must be dropped. */
    public Optional<DropCause> protectRtp(PacketBuffer packet) {
        if (!RtpPackets.isRtp(packet)) {
            return Optional.of(DropCause.MALFORMED);
        }
        int ssrc = packet.int32(8);
        SrtpCryptoContext context = rtp.get(ssrc);
        try {
            if (context == null) {
                if (rtp.size() >= MAX_SSRCS) {
                    return Optional.of(DropCause.SSRC_LIMIT);
                }
                context = factory.deriveContext(ssrc, 0);
                rtp.put(ssrc, context);
            }
            return verdict(context.transformPacket(packet));
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
        SrtcpCryptoContext context = rtcp.get(ssrc);
        try {
            if (context == null) {
                if (rtcp.size() >= MAX_SSRCS) {
                    return Optional.of(DropCause.SSRC_LIMIT);
                }
                context = factory.deriveControlContext(ssrc);
                rtcp.put(ssrc, context);
            }
            return verdict(context.transformPacket(packet));
        } catch (GeneralSecurityException e) {
            return Optional.of(DropCause.PROTECT_FAILED);
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
