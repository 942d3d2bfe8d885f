package io.trunkgate.media.sdp;

/** Where one side must send its media to reach the relay: what our rewritten c= and m= lines carry. */
public record RelayAddress(String address, int rtpPort, int rtcpPort) {
}
