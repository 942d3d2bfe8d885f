package io.trunkgate.media.relay;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.trunkgate.flow.Side;

/**
 * Our RTP and RTCP sockets on one port pair (RTCP = RTP + 1, RFC 3550 11), registered with one event loop. A call
 * holds a pair for its life; released, the pair stays bound in the relay's pool for
 * {@code trunkgate.media.socket-linger}, and a later call on the same loop takes it instead of binding, registering
 * and closing two sockets of its own: at 1000 calls/s that churn cost a sixth of the gateway's CPU (see
 * docs/benchmarks.md). While pooled the pair has no owner and whatever arrives on it is dropped.
 */
final class SocketPair {

    /** Whose leg the pair is: packets go to that session, as coming from that side. */
    record Owner(MediaSession session, Side side) {
    }

    final int rtpPort;
    final EventLoop loop;
    /** The side whose address the sockets are bound to. */
    final Side side;
    /** Set once by the relay when both are bound, before the pair is handed out. */
    Channel rtp;
    Channel rtcp;
    /** The JDK sockets under NIO channels (null with epoll), to know when a close really freed the port. */
    java.nio.channels.DatagramChannel rtpSocket;
    java.nio.channels.DatagramChannel rtcpSocket;
    volatile Owner owner;
    /** When it last went back to the pool (System.nanoTime). */
    volatile long pooledAt;

    SocketPair(int rtpPort, EventLoop loop, Side side) {
        this.rtpPort = rtpPort;
        this.loop = loop;
        this.side = side;
    }

    /** Both sockets open and read by their loop: a pooled pair whose channel failed is closed, not handed out. */
    boolean usable() {
        return rtp.isOpen() && rtcp.isOpen() && rtp.isRegistered() && rtcp.isRegistered();
    }

    /** False once the OS closed both sockets (their ports are free); epoll channels close at once. */
    boolean socketsOpen() {
        return rtpSocket != null ? rtpSocket.isRegistered() || rtcpSocket.isRegistered() : rtp.isOpen() || rtcp.isOpen();
    }

    void close() {
        rtp.close();
        rtcp.close();
    }

    @Override
    public String toString() {
        return "ports " + rtpPort + "/" + (rtpPort + 1);
    }
}
