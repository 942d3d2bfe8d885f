package io.trunkgate.transport;

import io.trunkgate.flow.FlowEvents;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import javax.net.ssl.SSLHandshakeException;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.trunkgate.cert.CertificateNames;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.BeanRef;
import io.trunkgate.flow.TrunkgateService;
import io.trunkgate.tls.OffloadedHandshakeEngine;
import io.trunkgate.tls.TrunkTls;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.netty.NettyConstants;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client role of TLS-7: outbound TLS connections to remote trunk hosts, one per (host, port), opened on demand
 * with the trunk profile, SNI = the host dialled and the server's certificate checked against our trust and that
 * name; and plain TCP connections to an inside peer. What arrives on them enters a small route of
 * routes/listeners.yaml ({@value #TRUNK_CLIENT_URI}, {@value #INSIDE_CLIENT_URI}) with camel-netty's own headers,
 * which names its side and passes it to {@code direct:sip-in} like a listener does, so responses and in-dialog
 * requests follow one path.
 * <p>
 * Host names are resolved by the system's resolver (Netty's default: the JDK's, with /etc/hosts), or, when
 * {@code trunkgate.dns.servers} names DNS servers, by Netty's asynchronous DNS resolver asking those servers, on the
 * connections' own event loop: the servers that also answer the SRV lookups of {@code remote.srv} (ROUTE-4).
 * <p>
 * Each connection closes when it has been idle (no dialog, no SIP message) for the idle limit, and a TLS one when
 * a keep-alive ping finds it wedged ({@link KeepAlive}); the next request then opens a fresh one. Every close is
 * logged with its reason ({@link ConnectionWatch}).
 */
public class TrunkConnections extends TrunkgateService {

    private static final Logger LOG = LoggerFactory.getLogger(TrunkConnections.class);

    /** Where messages from outbound TLS connections (the trunk side) enter the routes. */
    public static final String TRUNK_CLIENT_URI = "direct:trunk-tls-client";
    /** Where messages from outbound TCP connections to the inside enter the routes. */
    public static final String INSIDE_CLIENT_URI = "direct:inside-tcp-client";

    private final Supplier<TrunkTls> tls;
    private final int connectTimeoutMillis;
    private final int handshakeTimeoutMillis;
    private final int maxHeaderBytes;
    private final int maxBodyBytes;
    private final long messageTimeoutMillis;
    private final KeepAliveSettings keepAlive;
    private final String trunkUri;
    private final String insideUri;
    private final List<InetSocketAddress> dnsServers;
    private final ConcurrentMap<String, CompletableFuture<NettySipConnection>> connections = new ConcurrentHashMap<>();
    private EventLoopGroup group;
    /** Null: Netty's default resolver (the JDK's). */
    private AddressResolverGroup<InetSocketAddress> resolver;
    private AsyncProducer trunkIn;
    private AsyncProducer insideIn;
    /** Told of every connection, handshake and message sent (the bean flowEvents); null: nothing is. */
    private volatile Supplier<FlowEvents> events;

    /** @param tls the TLS bean bound under {@code trunkTls}, resolved at the first connection */
    public TrunkConnections(Supplier<TrunkTls> tls, Settings settings) {
        this(tls, settings, TRUNK_CLIENT_URI, INSIDE_CLIENT_URI);
    }

    /** Everything received, on either kind of connection, goes to {@code inboundUri} (tests). */
    public TrunkConnections(TrunkTls tls, Settings settings, String inboundUri) {
        this(BeanRef.to(tls), settings, inboundUri, inboundUri);
    }

    private TrunkConnections(Supplier<TrunkTls> tls, Settings settings, String trunkUri, String insideUri) {
        this.tls = tls;
        this.connectTimeoutMillis = settings.getInt("trunkgate.trunk.connect-timeout");
        this.handshakeTimeoutMillis = settings.getInt("trunkgate.tls.handshake-timeout");
        this.maxHeaderBytes = settings.getInt("trunkgate.sip.max-header-bytes");
        this.maxBodyBytes = settings.getInt("trunkgate.sip.max-body-bytes");
        this.messageTimeoutMillis = settings.getDuration("trunkgate.sip.message-timeout").toMillis();
        this.keepAlive = KeepAliveSettings.from(settings);
        this.trunkUri = trunkUri;
        this.insideUri = insideUri;
        this.dnsServers = settings.getAddresses("trunkgate.dns.servers", 53);
    }

    /** Tells {@code events} (the bean flowEvents) about every connection we open and every message sent on them. */
    public TrunkConnections events(Supplier<FlowEvents> events) {
        this.events = events;
        return this;
    }

    /**
     * The open connection to {@code host:port}, or a new one once its TLS handshake succeeded. Fails (without
     * connecting) when the host is an IP literal: a certificate names hosts, never addresses (CERT-6).
     */
    public CompletableFuture<NettySipConnection> connect(String host, int port) {
        if (CertificateNames.isIpLiteral(host)) {
            return CompletableFuture.failedFuture(new SSLHandshakeException("refusing to dial " + host
                    + ": a trunk remote must be a host name, never an IP address (CERT-6)"));
        }
        return connection(host, port, true);
    }

    /**
     * A plain TCP connection to an inside peer (a PBX on TCP), one per (host, port); what arrives on it enters the
     * route as side "inside". IP addresses are fine here: no certificate names the inside.
     */
    public CompletableFuture<NettySipConnection> connectTcp(String host, int port) {
        return connection(host, port, false);
    }

    private CompletableFuture<NettySipConnection> connection(String host, int port, boolean secure) {
        String key = (secure ? "" : "tcp:") + host.toLowerCase(Locale.ROOT) + ":" + port;
        synchronized (connections) {
            CompletableFuture<NettySipConnection> existing = connections.get(key);
            if (existing != null && !existing.isCompletedExceptionally()
                    && (!existing.isDone() || existing.join().isOpen())) {
                return existing;
            }
            CompletableFuture<NettySipConnection> result = new CompletableFuture<>();
            connections.put(key, result);
            open(host, port, key, result, secure); // its listeners may already have run: the map is updated first
            return result;
        }
    }

    /** Open connections, for tests and the status view. */
    public int size() {
        return (int) connections.values().stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
    }

    private void open(String host, int port, String key, CompletableFuture<NettySipConnection> result, boolean secure) {
        // the server's certificate is checked in a delegated task on the TLS executor, never on the event loop (CERT-9)
        TrunkTls trunkTls = secure ? tls.get() : null;
        SslHandler ssl = secure ? new SslHandler(OffloadedHandshakeEngine.of(trunkTls.newClientEngine(host, port)),
                trunkTls.handshakeExecutor()) : null;
        if (ssl != null) {
            ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        }
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        FlowTap.attach(ch, events);
                        ch.pipeline().addLast("watch", new ConnectionWatch((secure ? "TLS client to " : "TCP client to ")
                                + host + ":" + port, true));
                        if (ssl != null) {
                            ch.pipeline().addLast("ssl", ssl);
                            ch.pipeline().addLast("tls-outcome", new HandshakeOutcomeLogger(true));
                        }
                        // keep-alive pings on the trunk's connections only (RFC 5626); the idle limit on both kinds
                        ch.pipeline().addLast("keep-alive", new KeepAlive(keepAlive, secure));
                        ch.pipeline().addLast("flush-consolidation", SipStreamDecoder.flushConsolidation());
                        ch.pipeline().addLast("framing", new SipStreamDecoder(maxHeaderBytes, maxBodyBytes,
                                messageTimeoutMillis, null));
                        // the call flow runs on this connection's event loop, as on the listeners
                        ch.pipeline().addLast("to-camel", new ToCamel(secure ? trunkIn : insideIn));
                    }
                });
        if (resolver != null) {
            bootstrap.resolver(resolver);
        }
        ChannelFuture connecting = bootstrap.connect(host, port);
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                fail(result, key, "cannot connect to " + key + ": " + f.cause().getMessage());
                return;
            }
            Channel channel = connecting.channel();
            channel.closeFuture().addListener(c -> connections.remove(key, result));
            if (ssl == null) {
                result.complete(NettySipConnection.of(channel, (InetSocketAddress) channel.remoteAddress()));
                return;
            }
            ssl.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    LOG.info("TLS connection to {} up ({} {})", key, ssl.engine().getSession().getProtocol(),
                            ssl.engine().getSession().getCipherSuite());
                    result.complete(NettySipConnection.of(channel, (InetSocketAddress) channel.remoteAddress()));
                } else {
                    fail(result, key, "TLS handshake with " + key + " failed: " + HandshakeOutcomeLogger.describe(h.cause()));
                }
            });
        });
    }

    private void fail(CompletableFuture<NettySipConnection> result, String key, String message) {
        connections.remove(key, result);
        result.completeExceptionally(new SSLHandshakeException(message));
    }

    /** Hands each framed message to its route with the headers camel-netty's consumer sets on the listeners. */
    private static final class ToCamel extends SimpleChannelInboundHandler<byte[]> {
        private final AsyncProducer route;

        ToCamel(AsyncProducer route) {
            this.route = route;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, byte[] message) {
            Exchange exchange = route.getEndpoint().createExchange();
            Message in = exchange.getIn();
            in.setBody(message);
            in.setHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, ctx);
            in.setHeader(NettyConstants.NETTY_REMOTE_ADDRESS, ctx.channel().remoteAddress());
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null) {
                in.setHeader(NettyConstants.NETTY_SSL_SESSION, ssl.engine().getSession());
            }
            route.process(exchange, done -> {
                if (exchange.getException() != null) {
                    LOG.warn("processing a message from {} failed: {}", ctx.channel().remoteAddress(),
                            exchange.getException().toString());
                }
            });
        }
    }



    @Override
    protected void doStart() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(
                getCamelContext().getExecutorServiceManager().resolveThreadName("trunkgate-trunk-client"), true),
                NioIoHandler.newFactory());
        if (!dnsServers.isEmpty()) {
            // A/AAAA lookups of remote hosts (SRV targets too) without blocking the loop, from the servers given
            resolver = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                    .datagramChannelType(NioDatagramChannel.class)
                    .socketChannelType(NioSocketChannel.class) // TCP when an answer is truncated
                    .nameServerProvider(new SequentialDnsServerAddressStreamProvider(dnsServers))
                    .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED));
            LOG.info("host names resolved by the DNS server(s) {} (trunkgate.dns.servers)", dnsServers);
        }
        trunkIn = getCamelContext().getEndpoint(trunkUri).createAsyncProducer();
        insideIn = getCamelContext().getEndpoint(insideUri).createAsyncProducer();
        ServiceHelper.startService(trunkIn, insideIn);
    }

    @Override
    protected void doStop() throws Exception {
        connections.values().forEach(f -> f.thenAccept(c -> ConnectionWatch.close(c.channel(), "gateway stopping", false)));
        connections.clear();
        ServiceHelper.stopService(trunkIn, insideIn);
        if (resolver != null) {
            resolver.close();
            resolver = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
