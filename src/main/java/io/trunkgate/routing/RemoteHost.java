package io.trunkgate.routing;

/**
 * One proxy of a trunk's remote side. {@code host} is a DNS name, never an IP address (CERT-6), and it is the name the
 * remote's certificate must carry (CERT-5, CERT-7); for SRV it is the SRV target, not the SRV owner name (CERT-12).
 */
public record RemoteHost(String host, int port) {

    /** sip:HOST:PORT;transport=tls: where to connect. */
    public String uri() {
        return "sip:" + host + ":" + port + ";transport=tls";
    }

    /** The name to check in the certificate (CN or SAN). */
    public String certName() {
        return host;
    }

    /** host:port, for log lines. */
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
