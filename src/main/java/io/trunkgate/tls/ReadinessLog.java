package io.trunkgate.tls;

import java.security.cert.X509Certificate;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;

import io.trunkgate.cert.CertificateNames;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.component.netty.NettyConfiguration;
import org.apache.camel.component.netty.NettyEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line when a TLS listener is up: address, protocol, suites, curve, certificate subject, SANs and expiry. What an
 * operator greps for after a start or a certificate change.
 */
public class ReadinessLog extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessLog.class);

    public ReadinessLog() {
        setIgnoreExchangeEvents(true);
        setIgnoreCamelContextEvents(true);
        setIgnoreServiceEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.RouteStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Route route = ((CamelEvent.RouteStartedEvent) event).getRoute();
        Endpoint endpoint = route.getEndpoint();
        if (endpoint instanceof NettyEndpoint netty && netty.getConfiguration().isSsl()
                && netty.getConfiguration().getSslContextParameters() instanceof TrunkTls tls) {
            LOG.info(line(netty.getConfiguration(), tls));
        }
    }

    static String line(NettyConfiguration config, TrunkTls tls) {
        X509Certificate leaf = tls.chain().get(0);
        String sans = String.join(",", CertificateNames.dnsNames(leaf));
        TlsProfile p = tls.profile();
        return "trunkgate ready: SIP over TLS on " + config.getHost() + ":" + config.getPort()
                + " protocols=" + String.join(",", p.protocols())
                + " suites=" + String.join(",", p.cipherSuites())
                + " curves=" + String.join(",", p.namedGroups())
                + " client-auth=" + p.clientAuth().name().toLowerCase()
                + " certificate=\"" + leaf.getSubjectX500Principal().getName() + "\""
                + " SANs=" + sans
                + " chain=" + tls.chain().size()
                + " expires=" + DateTimeFormatter.ISO_INSTANT.format(leaf.getNotAfter().toInstant().atOffset(ZoneOffset.UTC))
                + " trust=" + tls.trustSource();
    }
}
