package io.trunkgate.proxy;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.trunkgate.flow.NextHop;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.SipConnection;
import io.trunkgate.transport.TrunkConnections;
import io.trunkgate.transport.UdpSockets;

/**
 * Opens (or reuses) the way to a next hop: TLS through the client role's connection registry (TLS-7, CERT-6),
 * TCP to an inside peer through the same registry, UDP from the inside listener's own socket.
 */
public class Egress {

    private final Supplier<TrunkConnections> trunkConnections;
    private final Supplier<UdpSockets> udpSockets;
    private final int insideUdpPort;

    public Egress(Supplier<TrunkConnections> trunkConnections, Supplier<UdpSockets> udpSockets, int insideUdpPort) {
        this.trunkConnections = trunkConnections;
        this.udpSockets = udpSockets;
        this.insideUdpPort = insideUdpPort;
    }

    public CompletableFuture<SipConnection> connect(NextHop hop) {
        switch (hop.transport()) {
            case "tls":
                return trunkConnections.get().connect(hop.host(), hop.port()).thenApply(c -> (SipConnection) c);
            case "tcp":
                if (hop.side() == Side.TRUNK) {
                    // the trunk is TLS only (TLS-2): a tcp hop there is an in-dialog target without a live dialog
                    return CompletableFuture.failedFuture(new IllegalStateException(
                            "the trunk side is TLS only (TLS-2), not " + hop));
                }
                return trunkConnections.get().connectTcp(hop.host(), hop.port()).thenApply(c -> (SipConnection) c);
            case "udp":
                try {
                    InetSocketAddress target = new InetSocketAddress(hop.host(), hop.port());
                    if (target.isUnresolved()) {
                        return CompletableFuture.failedFuture(new IllegalStateException("cannot resolve " + hop.host()));
                    }
                    return CompletableFuture.completedFuture(udpSockets.get().toward(insideUdpPort, target));
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
            default:
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "transport " + hop.transport() + " toward " + hop + " is not supported yet"));
        }
    }
}
