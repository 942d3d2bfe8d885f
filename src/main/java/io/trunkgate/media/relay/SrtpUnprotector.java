package io.trunkgate.media.relay;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.media.sdp.Mki;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;

/**
 * SRTP -> RTP and SRTCP -> RTCP with the remote's key from its a=crypto line, one context per SSRC.
 * A context is kept only once a packet of its SSRC authenticated, so forged SSRCs cannot fill the table.
 * An MKI announced in SDP is checked and cut before jitsi-srtp sees the packet (jitsi-srtp knows no MKI).
 * Not thread-safe: a session runs on one event loop.
 */
public final class SrtpUnprotector implements AutoCloseable {

    private final SrtpContextFactory factory;
    private final CryptoSuite suite;
    private final byte[] mki;
    private final Map<Integer, SrtpCryptoContext> rtp = new HashMap<>();
    private final Map<Integer, SrtcpCryptoContext> rtcp = new HashMap<>();

    public SrtpUnprotector(MasterKey key, Mki mki) {
        this.suite = key.suite();
        this.mki = mki == null ? new byte[0] : mki.bytes();
        this.factory = new SrtpContextFactory(false, key.key(), key.salt(), suite.srtpPolicy(), suite.srtcpPolicy(),
                SrtpSetup.logger());
    }

    public SrtpUnprotector(MasterKey key) {
        this(key, null);
    }

    /** Verifies and decrypts an SRTP packet in place; empty when it may be forwarded. */
    public Optional<DropCause> unprotectRtp(PacketBuffer packet) {
        if (!RtpPackets.isRtp(packet) || packet.getLength() < 12 + suite.srtpTagLength() + mki.length) {
            return Optional.of(DropCause.MALFORMED);
        }
        if (!cutMki(packet, suite.aead() ? 0 : suite.srtpTagLength())) {
            return Optional.of(DropCause.UNKNOWN_MKI);
        }
        int ssrc = packet.int32(8);
        SrtpCryptoContext context = rtp.get(ssrc);
        boolean fresh = context == null;
        try {
            if (fresh) {
                if (rtp.size() >= SrtpProtector.MAX_SSRCS) {
                    return Optional.of(DropCause.SSRC_LIMIT);
                }
                context = factory.deriveContext(ssrc, 0);
            }
            Optional<DropCause> verdict = verdict(context.reverseTransformPacket(packet, false));
            if (fresh && verdict.isEmpty()) {
                rtp.put(ssrc, context);
            }
            return verdict;
        } catch (GeneralSecurityException e) {
            return Optional.of(DropCause.AUTH_FAILED);
        }
    }

    /** Verifies and decrypts an SRTCP packet in place. */
    public Optional<DropCause> unprotectRtcp(PacketBuffer packet) {
        // header (8) + E|index (4) + tag
        if (!RtpPackets.isRtcp(packet) || packet.getLength() < 12 + suite.srtcpTagLength() + mki.length) {
            return Optional.of(DropCause.MALFORMED);
        }
        if (!cutMki(packet, suite.aead() ? 0 : suite.srtcpTagLength())) {
            return Optional.of(DropCause.UNKNOWN_MKI);
        }
        int ssrc = packet.int32(4);
        SrtcpCryptoContext context = rtcp.get(ssrc);
        boolean fresh = context == null;
        try {
            if (fresh) {
                if (rtcp.size() >= SrtpProtector.MAX_SSRCS) {
                    return Optional.of(DropCause.SSRC_LIMIT);
                }
                context = factory.deriveControlContext(ssrc);
            }
            Optional<DropCause> verdict = verdict(context.reverseTransformPacket(packet));
            if (fresh && verdict.isEmpty()) {
                rtcp.put(ssrc, context);
            }
            return verdict;
        } catch (GeneralSecurityException e) {
            return Optional.of(DropCause.AUTH_FAILED);
        }
    }

    /**
     * RFC 3711 3.1: the MKI sits right before the authentication tag (AES-CM); RFC 7714: at the very end
     * (AEAD, whose tag is inside the cipher text). The MKI is not authenticated, so cutting it is safe.
     */
    private boolean cutMki(PacketBuffer packet, int trailer) {
        if (mki.length == 0) {
            return true;
        }
        int at = packet.getLength() - trailer - mki.length;
        for (int i = 0; i < mki.length; i++) {
            if ((byte) packet.uint8(at + i) != mki[i]) {
                return false;
            }
        }
        packet.cut(at, mki.length);
        return true;
    }

    private static Optional<DropCause> verdict(SrtpErrorStatus status) {
        switch (status) {
            case OK:
                return Optional.empty();
            case REPLAY_FAIL:
            case REPLAY_OLD:
                return Optional.of(DropCause.REPLAYED);
            case INVALID_PACKET:
                return Optional.of(DropCause.MALFORMED);
            default:
                return Optional.of(DropCause.AUTH_FAILED);
        }
    }

    @Override
    public void close() {
        factory.close();
        rtp.clear();
        rtcp.clear();
    }
}
