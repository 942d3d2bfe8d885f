/**
 * The media relay: RTP/RTCP port pairs on Netty datagram channels, latching, SRTP protect/unprotect (jitsi-srtp),
 * counters and drops by cause, the idle timeout, and the pool of released sockets ({@link
 * io.trunkgate.media.relay.SocketPool}) apart from the session registry ({@link io.trunkgate.media.relay.MediaRelay}).
 * Uses {@code media.sdp} (keys and plans), {@code flow} and {@code config}.
 */
package io.trunkgate.media.relay;

