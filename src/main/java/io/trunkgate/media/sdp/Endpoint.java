package io.trunkgate.media.sdp;

import java.net.InetSocketAddress;

/**
 * A side's media address as its SDP declares it; {@code rtp} is null when the stream is disabled
 * (port 0) or on hold with c=0.0.0.0. The relay latches the real source later (symmetric RTP).
 */
public record Endpoint(InetSocketAddress rtp, InetSocketAddress rtcp, boolean rtcpMux) {

    public static final Endpoint NONE = new Endpoint(null, null, false);
}
