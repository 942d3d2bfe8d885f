package io.trunkgate.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A UDP listener's socket has one connection object per peer address (what every datagram received and every request
 * forwarded asks for, and what lingering transactions keep), sends to that peer over a real loopback socket, and
 * remembers at most {@link NettySipConnection#UDP_PEERS} peers.
 */
class UdpPeersTest {

    @Test
    @DisplayName("one connection per UDP peer address: the same object for the same peer, another for another; a datagram reaches the peer")
    void one_connection_per_peer() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (DatagramSocket pbx = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            pbx.setSoTimeout(5000);
            Channel socket = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            InetSocketAddress peer = new InetSocketAddress("127.0.0.1", pbx.getLocalPort());

            NettySipConnection first = NettySipConnection.of(socket, peer);
            // a new address object for the same peer, as each datagram received brings
            assertSame(first, NettySipConnection.of(socket, new InetSocketAddress("127.0.0.1", pbx.getLocalPort())));
            assertEquals("udp", first.transport());
            assertEquals(peer, first.remoteAddress());
            assertNotSame(first, NettySipConnection.of(socket, new InetSocketAddress("127.0.0.1", pbx.getLocalPort() + 1)));

            first.send("OPTIONS sip:pbx SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            DatagramPacket got = new DatagramPacket(new byte[1500], 1500);
            pbx.receive(got);
            assertEquals("OPTIONS sip:pbx SIP/2.0", new String(got.getData(), 0, got.getLength(), StandardCharsets.US_ASCII).lines().findFirst().orElse(""));
            socket.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    @DisplayName("at most UDP_PEERS peers are remembered: past that the socket starts over and the first peer gets a new connection")
    void peers_are_bounded() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel socket = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            NettySipConnection first = NettySipConnection.of(socket, new InetSocketAddress("127.0.0.1", 1));
            for (int port = 2; port <= NettySipConnection.UDP_PEERS; port++) {
                NettySipConnection.of(socket, new InetSocketAddress("127.0.0.1", port));
            }
            assertSame(first, NettySipConnection.of(socket, new InetSocketAddress("127.0.0.1", 1)), "still remembered");
            NettySipConnection.of(socket, new InetSocketAddress("127.0.0.1", NettySipConnection.UDP_PEERS + 1));
            assertNotSame(first, NettySipConnection.of(socket, new InetSocketAddress("127.0.0.1", 1)), "forgotten once the table filled");
            socket.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
