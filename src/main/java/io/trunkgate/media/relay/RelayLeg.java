package io.trunkgate.media.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.trunkgate.flow.Side;
import io.trunkgate.media.sdp.Endpoint;

/**
 * One side of a session: our RTP and RTCP sockets (a {@link SocketPair}), the remote as its SDP declares it, the
 * latched source addresses (symmetric RTP), and on the trunk side the SRTP state. Touched only on the session's
 * event loop.
 */
final class RelayLeg {

    final Side side;
    final SocketPair sockets;
    Endpoint declared = Endpoint.NONE;
    /** Volatile and written only when they move: a standby's snapshot reads them from another thread (issue #18). */
    volatile InetSocketAddress latchedRtp;
    volatile InetSocketAddress latchedRtcp;
    /** Set when a latch moved, until the session took note (a state write is due). Loop only. */
    boolean latchMoved;
    /** Trunk leg with SRTP only; null means plain RTP on this leg. Volatile for the same snapshot. */
    volatile SrtpUnprotector unprotector;
    /** The key before the last re-keying, tried when the new one fails until the remote switches (RFC 4568 7.1.4). */
    SrtpUnprotector previousUnprotector;
    volatile SrtpProtector protector;

    RelayLeg(Side side, SocketPair sockets) {
        this.side = side;
        this.sockets = sockets;
    }

    boolean secure() {
        return unprotector != null;
    }

    /** Where packets for this side go: the latched source, else the declared address. Null when unknown. */
    InetSocketAddress destination(boolean isRtcp) {
        InetSocketAddress latched = isRtcp && !declared.rtcpMux() ? latchedRtcp : latchedRtp;
        InetSocketAddress target = latched != null ? latched : (isRtcp ? declared.rtcp() : declared.rtp());
        return target == null || target.isUnresolved() ? null : target;
    }

    /**
     * Sends a packet to this side from our port for it: with rtcp-mux, RTCP leaves from the RTP port too (RFC 5761).
     * Under NIO straight through the JDK socket, which is non-blocking and only ever used on this session's loop:
     * Netty's write path (a promise, the outbound buffer, a flush) cost more per packet than the send itself.
     *
     * @return false when the OS did not take it (send buffer full, or the send failed): a UDP relay drops it
     */
    boolean send(boolean isRtcp, PacketBuffer packet, InetSocketAddress target) {
        boolean rtcpPort = isRtcp && !declared.rtcpMux();
        java.nio.channels.DatagramChannel socket = rtcpPort ? sockets.rtcpSocket : sockets.rtpSocket;
        if (socket == null) { // epoll
            (rtcpPort ? sockets.rtcp : sockets.rtp).writeAndFlush(new DatagramPacket(
                    Unpooled.wrappedBuffer(packet.getBuffer(), packet.getOffset(), packet.getLength()), target));
            return true;
        }
        try {
            return socket.send(ByteBuffer.wrap(packet.getBuffer(), packet.getOffset(), packet.getLength()), target) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Unprotects with the current key, falling back to the previous one after a re-keying. */
    Optional<DropCause> unprotect(PacketBuffer packet, boolean isRtcp) {
        PacketBuffer copy = previousUnprotector == null ? null
                : PacketBuffer.copyOf(packet.getBuffer(), packet.getOffset(), packet.getLength());
        Optional<DropCause> verdict = isRtcp ? unprotector.unprotectRtcp(packet) : unprotector.unprotectRtp(packet);
        if (verdict.isEmpty() && previousUnprotector != null && !isRtcp) {
            previousUnprotector.close(); // the remote uses the new key now
            previousUnprotector = null;
        } else if (verdict.equals(Optional.of(DropCause.AUTH_FAILED)) && copy != null) {
            Optional<DropCause> old = isRtcp ? previousUnprotector.unprotectRtcp(copy) : previousUnprotector.unprotectRtp(copy);
            if (old.isEmpty()) {
                packet.setOffset(0);
                packet.setLength(0);
                packet.append(copy.toArray(), copy.getLength());
            }
            return old;
        }
        return verdict;
    }

    /**
     * Latches the source of an accepted packet. SRTP legs re-latch on every authenticated packet (it proved
     * the key); plain legs latch once, so a stranger cannot steal the stream. False: drop (NOT_LATCHED).
     */
    boolean latch(InetSocketAddress source, boolean isRtcp) {
        boolean rtcpSlot = isRtcp && !declared.rtcpMux();
        InetSocketAddress current = rtcpSlot ? latchedRtcp : latchedRtp;
        if (current != null && !current.equals(source) && !secure()) {
            return false;
        }
        if (source.equals(current)) {
            return true;
        }
        if (rtcpSlot) {
            latchedRtcp = source;
        } else {
            latchedRtp = source;
        }
        latchMoved = true;
        return true;
    }

    void closeCrypto() {
        for (AutoCloseable c : new AutoCloseable[] {unprotector, previousUnprotector, protector}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing only zeroes keys
                }
            }
        }
        unprotector = null;
        previousUnprotector = null;
        protector = null;
    }
}
