package io.trunkgate.media.relay;

import java.net.InetSocketAddress;
import java.util.Map;

import io.trunkgate.media.sdp.MediaPlan;

/**
 * What a standby needs to go on relaying one call's media (issue #18 item 2): our ports on both sides, the answer in
 * force (both sides' declared endpoints and the trunk leg's SRTP master keys and salts), the addresses latched on each
 * side, and per SSRC the rollover counter and highest sequence number ({@code roc << 16 | seq}) of the remote's
 * streams ({@code inbound}, unprotected here) and of ours toward it ({@code outbound}, protected here), and per
 * SSRC our SRTCP send index toward it ({@code outboundRtcp}, a lower bound).
 */
public record SessionState(String callId, int trunkPort, int insidePort, MediaPlan plan, Latched trunk, Latched inside,
        Map<Integer, Long> inbound, Map<Integer, Long> outbound, Map<Integer, Long> outboundRtcp) {

    public SessionState {
        inbound = Map.copyOf(inbound);
        outbound = Map.copyOf(outbound);
        outboundRtcp = Map.copyOf(outboundRtcp);
    }

    /** The source addresses a side's media came from (symmetric RTP); null where nothing was latched. */
    public record Latched(InetSocketAddress rtp, InetSocketAddress rtcp) {
        public static final Latched NONE = new Latched(null, null);
    }
}
