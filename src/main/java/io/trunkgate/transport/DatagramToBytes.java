package io.trunkgate.transport;

import java.net.InetSocketAddress;
import java.util.List;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;

/**
 * A UDP datagram is one SIP message (RFC 3261 18.1): its bytes, with the sender's address, for Camel (which puts
 * the address in CamelNettyRemoteAddress). Keep-alive CRLFs carry nothing and are dropped.
 */
public class DatagramToBytes extends MessageToMessageDecoder<DatagramPacket> {

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        byte[] bytes = ByteBufUtil.getBytes(packet.content());
        if (bytes.length <= 4 && new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).isBlank()) {
            return;
        }
        out.add(new DefaultAddressedEnvelope<byte[], InetSocketAddress>(bytes, packet.recipient(), packet.sender()));
    }
}
