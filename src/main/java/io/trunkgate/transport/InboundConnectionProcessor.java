package io.trunkgate.transport;

import java.net.InetSocketAddress;

import javax.net.ssl.SSLSession;

import io.netty.channel.ChannelHandlerContext;
import io.trunkgate.flow.TrunkgateConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;

/**
 * {@code inboundConnection}: names where a message came from, in trunkgate's own headers, whichever listener
 * received it: the connection to answer on, the remote address, the transport and the TLS session.
 */
public class InboundConnectionProcessor implements Processor {

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getIn();
        ChannelHandlerContext ctx = in.getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, ChannelHandlerContext.class);
        InetSocketAddress remote = in.getHeader(NettyConstants.NETTY_REMOTE_ADDRESS, InetSocketAddress.class);
        NettySipConnection connection = NettySipConnection.of(ctx.channel(), remote);
        in.setHeader(TrunkgateConstants.CONNECTION, connection);
        in.setHeader(TrunkgateConstants.SOURCE_ADDRESS, connection.remoteAddress());
        in.setHeader(TrunkgateConstants.SOURCE_TRANSPORT, connection.transport());
        SSLSession session = in.getHeader(NettyConstants.NETTY_SSL_SESSION, SSLSession.class);
        if (session != null) {
            in.setHeader(TrunkgateConstants.TLS_SESSION, session);
        }
    }
}
