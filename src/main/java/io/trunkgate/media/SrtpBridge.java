package io.trunkgate.media;

import java.security.SecureRandom;
import java.util.function.Supplier;

import io.trunkgate.flow.Side;
import io.trunkgate.media.relay.MediaRelay;
import io.trunkgate.media.relay.MediaSession;
import io.trunkgate.media.relay.MediaSettings;
import io.trunkgate.media.sdp.MediaSecurity;
import io.trunkgate.media.sdp.PendingOffer;
import io.trunkgate.media.sdp.SdesNegotiator;
import io.trunkgate.media.sdp.SdpResult;

/**
 * The API the {@code srtpBridge} Camel processor calls for every SDP body of a call:
 * <pre>{@code
 * SrtpBridge bridge = new SrtpBridge(MediaSecurity.parse(trunk.mediaSrtp()), new SecureRandom());
 * MediaRelay relay = new MediaRelay(MediaSettings.from(settings));           // one per gateway
 *
 * // INVITE with SDP from the trunk (or the inside): new call
 * MediaSession s = relay.open(callId);
 * SdpResult r = bridge.offer(s, Side.TRUNK, contentType, body);
 *   Offered  -> forward r.body() (same Content-Type) to the other side
 *   Rejected -> s.releaseAsync("488"); reply r.status() with r.reason() in a Reason/Warning header
 * // 18x/2xx (or ACK for a late offer) with the answer from the other side
 * r = bridge.answer(s, Side.INSIDE, contentType, body);
 *   Answered -> forward r.body(); the relay now runs (SRTP on the trunk leg when negotiated)
 *   Rejected -> the call cannot have media as configured: tear it down
 * // re-INVITE / UPDATE with SDP: offer(...) then answer(...) again on the same session (re-keys)
 * // BYE, CANCEL, final error response: s.releaseAsync("BYE"); the relay also releases after
 * // trunkgate.media.timeout without packets
 * }</pre>
 * Bodies are {@code application/sdp} or {@code multipart/*} with an SDP part; other parts pass byte for byte.
 * Thread-safe: the bridge holds no per-call state (the session does).
 */
public final class SrtpBridge {

    private final MediaSecurity security;
    private final SdesNegotiator negotiator;

    /** @param security the trunk's {@code media.srtp} (SRTP-2) */
    public SrtpBridge(MediaSecurity security, SecureRandom random) {
        this.security = security;
        this.negotiator = new SdesNegotiator(random);
    }

    public MediaSecurity security() {
        return security;
    }

    /** An SDP offer from {@code from}: rewritten for the other side, or rejected (488, SRTP-1/SRTP-2). */
    public SdpResult offer(MediaSession session, Side from, String contentType, byte[] body) {
        return offer(() -> session, from, contentType, body);
    }

    /**
     * An SDP offer, with the session asked for only when the offer is usable: a refused offer takes no media port
     * (issue #17). What {@code session} throws (no port free) goes to the caller.
     */
    public SdpResult offer(Supplier<MediaSession> session, Side from, String contentType, byte[] body) {
        MediaSession[] opened = new MediaSession[1];
        SdpResult result = negotiator.offer(contentType, body, from, security, () -> {
            opened[0] = session.get();
            return opened[0].relayAddress(from.other());
        });
        if (result instanceof SdpResult.Offered offered) {
            opened[0].offered(offered.pending());
        }
        return result;
    }

    /** The SDP answer from {@code from} to the session's pending offer: rewritten for the offerer. */
    public SdpResult answer(MediaSession session, Side from, String contentType, byte[] body) {
        PendingOffer pending = session.pendingOffer().orElse(null);
        if (pending == null) {
            return SdpResult.Rejected.because("an SDP answer without a pending offer");
        }
        if (pending.from() == from) {
            return SdpResult.Rejected.because("an SDP answer from the side that made the offer");
        }
        SdpResult result = negotiator.answer(contentType, body, from, pending, session.relayAddress(pending.from()));
        if (result instanceof SdpResult.Answered answered) {
            session.answered(answered.plan());
        }
        return result;
    }
}
