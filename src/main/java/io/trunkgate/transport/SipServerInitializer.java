package io.trunkgate.transport;

import io.trunkgate.flow.FlowEvents;
import java.util.List;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.ssl.SslHandler;
import io.trunkgate.config.Settings;
import io.trunkgate.limits.RefusalLog;
import io.trunkgate.limits.SourceCaps;
import io.trunkgate.tls.OffloadedHandshakeEngine;
import io.trunkgate.tls.TrunkTls;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.netty.ChannelHandlerFactory;
import org.apache.camel.component.netty.NettyConfiguration;
import org.apache.camel.component.netty.NettyConsumer;
import org.apache.camel.component.netty.ServerInitializerFactory;
import org.apache.camel.component.netty.handlers.ServerChannelHandler;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * {@code serverInitializerFactory: "#sipServerPipeline"} on a netty:tcp or netty:udp consumer. On UDP: each
 * datagram is one message (a {@code byte[]}), and the bound socket is kept in {@link UdpSockets} for sending.
 * On TCP, per connection:
 * <ol>
 * <li>{@link ConnectionWatch}: one log line when the connection closes, with why;</li>
 * <li>with {@code ssl=true}: {@link ListenerCaps}, the source's connection and handshake caps;</li>
 * <li>{@link TransportMismatchDetector}: names plain SIP on the TLS port and TLS on a plain port (TLS-2);</li>
 * <li>with {@code ssl=true}: an SslHandler whose engine carries the trunk profile (TLS-4..6, one-way TLS per
 * TLS-7), bounded by the handshake timeout (also when no handshake ever begins), then
 * {@link HandshakeOutcomeLogger};</li>
 * <li>{@link KeepAlive}: the idle limit;</li>
 * <li>the endpoint's {@code decoders} (e.g. {@code #sipStreamFraming});</li>
 * <li>Camel's consumer handler.</li>
 * </ol>
 * Unlike camel-netty's default pipeline, the endpoint's needClientAuth does not overwrite the profile's client-auth.
 */
public class SipServerInitializer extends ServerInitializerFactory {

    private final NettyConsumer consumer;
    private final TrunkTls trunkTls;
    private final SSLContext otherContext;
    private final Supplier<UdpSockets> udpSockets;
    private final int handshakeTimeoutMillis;
    private final KeepAliveSettings keepAlive;
    /** Shared by every TLS listener: the caps count a source's connections across them. */
    private final SourceCaps caps;
    private final Supplier<RefusalLog> refusals;
    /** Told of every connection, handshake and message sent (the bean flowEvents); null: nothing is. */
    private Supplier<FlowEvents> events;

    /**
     * The prototype bound in the registry; UDP listeners register their socket in {@code udpSockets}. From the
     * settings: trunkgate.tls.handshake-timeout (a TLS handshake not done by then, or never begun, closes the
     * connection), the idle limit, and the TLS listener's per-source caps, whose refusals go to {@code refusals}.
     */
    public SipServerInitializer(Supplier<UdpSockets> udpSockets, Settings settings, Supplier<RefusalLog> refusals) {
        this.consumer = null;
        this.trunkTls = null;
        this.otherContext = null;
        this.udpSockets = udpSockets;
        this.handshakeTimeoutMillis = settings.getInt("trunkgate.tls.handshake-timeout", 1);
        this.keepAlive = KeepAliveSettings.from(settings);
        this.caps = new SourceCaps(settings.getInt("trunkgate.listener.max-connections-per-source", 0),
                settings.getInt("trunkgate.listener.handshakes-per-second-per-source", 0));
        this.refusals = refusals;
    }

    private SipServerInitializer(NettyConsumer consumer, SipServerInitializer prototype) {
        this.consumer = consumer;
        this.udpSockets = prototype.udpSockets;
        this.handshakeTimeoutMillis = prototype.handshakeTimeoutMillis;
        this.keepAlive = prototype.keepAlive;
        this.caps = prototype.caps;
        this.refusals = prototype.refusals;
        this.events = prototype.events;
        NettyConfiguration config = consumer.getConfiguration();
        SSLContextParameters params = config.isSsl() ? config.getSslContextParameters() : null;
        if (config.isSsl() && params == null) {
            throw new IllegalArgumentException("ssl=true on " + consumer.getEndpoint()
                    + " needs sslContextParameters (e.g. #trunkTls)");
        }
        this.trunkTls = params instanceof TrunkTls t ? t : null;
        try {
            this.otherContext = params != null && trunkTls == null ? params.createSSLContext(consumer.getContext()) : null;
        } catch (Exception e) {
            throw RuntimeCamelException.wrapRuntimeCamelException(e);
        }
    }

    /** Tells {@code events} (the bean flowEvents) about every connection of the listeners and every message sent. */
    public SipServerInitializer events(Supplier<FlowEvents> events) {
        this.events = events;
        return this;
    }

    @Override
    public ServerInitializerFactory createPipelineFactory(NettyConsumer consumer) {
        return new SipServerInitializer(consumer, this);
    }

    @Override
    protected void initChannel(Channel ch) {
        NettyConfiguration config = consumer.getConfiguration();
        ChannelPipeline pipeline = ch.pipeline();
        FlowTap.attach(ch, events);
        if (ch instanceof DatagramChannel) {
            udpSockets.get().registerWhenBound(ch);
            pipeline.addLast("datagram", new DatagramToBytes());
            addHandler(config, pipeline);
            return;
        }
        String role = (config.isSsl() ? "TLS" : "TCP") + " server on port " + config.getPort();
        pipeline.addLast("watch", new ConnectionWatch(role, false));
        if (config.isSsl()) {
            pipeline.addLast("caps", new ListenerCaps(caps, refusals));
        }
        pipeline.addLast("transport-check", new TransportMismatchDetector(config.isSsl()));
        if (config.isSsl()) {
            SslHandler ssl;
            if (trunkTls != null) {
                // a client certificate (client-auth want/need) is checked off the event loop (CERT-9)
                ssl = new SslHandler(OffloadedHandshakeEngine.of(trunkTls.newServerEngine()), trunkTls.handshakeExecutor());
            } else {
                SSLEngine engine = otherContext.createSSLEngine();
                engine.setUseClientMode(false);
                ssl = new SslHandler(engine);
            }
            ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
            pipeline.addLast("ssl", ssl);
            pipeline.addLast("tls-outcome", new HandshakeOutcomeLogger(false));
        }
        pipeline.addLast("keep-alive", new KeepAlive(keepAlive, false));
        pipeline.addLast("flush-consolidation", SipStreamDecoder.flushConsolidation());
        List<ChannelHandler> decoders = config.getDecodersAsList();
        for (int i = 0; i < decoders.size(); i++) {
            ChannelHandler decoder = decoders.get(i);
            pipeline.addLast("decoder-" + i,
                    decoder instanceof ChannelHandlerFactory f ? f.newChannelHandler() : decoder);
        }
        addHandler(config, pipeline);
    }

    private void addHandler(NettyConfiguration config, ChannelPipeline pipeline) {
        if (config.isUsingExecutorService()) {
            pipeline.addLast(consumer.getEndpoint().getComponent().getExecutorService(), "handler",
                    new ServerChannelHandler(consumer));
        } else {
            pipeline.addLast("handler", new ServerChannelHandler(consumer));
        }
    }
}
