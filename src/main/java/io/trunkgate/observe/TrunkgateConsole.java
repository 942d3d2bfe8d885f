package io.trunkgate.observe;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.trunkgate.admission.CallAdmission;
import io.trunkgate.cert.CertificateNames;
import io.trunkgate.cert.CrlCache;
import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.media.relay.MediaRelayService;
import io.trunkgate.routing.HostLiveness;
import io.trunkgate.routing.RemoteHost;
import io.trunkgate.routing.Router;
import io.trunkgate.routing.Trunk;
import io.trunkgate.tls.TrunkTls;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * The dev console {@code trunkgate} (camel-console's SPI, text and JSON, at {@code /observe/dev/trunkgate}): what an
 * operator reads first when a trunk misbehaves. Per trunk its remote hosts with their last probe and the calls up;
 * TLS and TCP connections open by side and role; our certificate's names and days left; the CRLs cached; the media
 * ports free; draining or not.
 */
@DevConsole(name = TrunkgateConsole.ID, displayName = "Trunkgate", description = "trunks, calls, TLS, CRLs and media of trunkgate")
public class TrunkgateConsole extends AbstractDevConsole {

    public static final String ID = "trunkgate";

    public TrunkgateConsole() {
        super("trunkgate", ID, "Trunkgate", "trunks, calls, TLS, CRLs and media of trunkgate");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        JsonObject j = doCallJson(options);
        StringBuilder sb = new StringBuilder();
        sb.append("trunkgate").append(Boolean.TRUE.equals(j.get("draining")) ? " (DRAINING)" : "").append('\n');
        for (Object t : (JsonArray) j.get("trunks")) {
            JsonObject trunk = (JsonObject) t;
            sb.append("  trunk ").append(trunk.get("id")).append(": ").append(trunk.get("calls_active")).append(" call(s) up\n");
            for (Object h : (JsonArray) trunk.get("remote_hosts")) {
                JsonObject host = (JsonObject) h;
                sb.append("    ").append(host.get("host")).append(' ').append(host.get("state"))
                        .append(host.get("last") == null ? "" : " (last probe: " + host.get("last") + ")").append('\n');
            }
        }
        sb.append("  connections open: ").append(j.get("connections_open")).append('\n');
        JsonObject cert = (JsonObject) j.get("certificate");
        if (cert != null) {
            sb.append("  certificate: ").append(cert.get("names")).append(", ").append(cert.get("days_left"))
                    .append(" day(s) left (").append(cert.get("not_after")).append(")\n");
        }
        sb.append("  CRLs cached: ").append(j.get("crls")).append('\n');
        sb.append("  media ports free: ").append(j.get("media_ports_free")).append(", sessions: ")
                .append(j.get("media_sessions")).append('\n');
        sb.append("  HEP: ").append(j.get("hep") == null ? "off" : j.get("hep")).append('\n');
        return sb.toString();
    }

    @Override
    protected JsonObject doCallJson(Map<String, Object> options) {
        JsonObject j = new JsonObject();
        CallAdmission admission = bean(TrunkgateBeans.CALL_ADMISSION, CallAdmission.class);
        j.put("draining", admission != null && admission.draining());
        JsonArray trunks = new JsonArray();
        Router router = bean(TrunkgateBeans.ROUTER, Router.class);
        HostLiveness liveness = bean(TrunkgateBeans.HOST_LIVENESS, HostLiveness.class);
        Map<RemoteHost, HostLiveness.HostState> probed = new java.util.HashMap<>();
        if (liveness != null) {
            liveness.states().forEach(s -> probed.put(s.host(), s));
        }
        if (router != null) {
            for (Trunk trunk : router.config().trunks()) {
                JsonObject t = new JsonObject();
                t.put("id", trunk.id());
                t.put("calls_active", admission == null ? 0 : admission.activeCalls(trunk.id()));
                JsonArray hosts = new JsonArray();
                try {
                    for (RemoteHost host : router.remoteHosts(trunk)) {
                        JsonObject h = new JsonObject();
                        HostLiveness.HostState s = probed.get(host);
                        h.put("host", host.toString());
                        h.put("state", liveness == null || liveness.isUp(host) ? "UP" : "DOWN");
                        h.put("last", s == null ? null : s.last());
                        h.put("since", s == null ? null : s.since().toString());
                        hosts.add(h);
                    }
                } catch (IOException | RuntimeException e) {
                    t.put("remote_hosts_error", e.getMessage());
                }
                t.put("remote_hosts", hosts);
                trunks.add(t);
            }
        }
        j.put("trunks", trunks);
        JsonObject open = new JsonObject();
        try {
            for (Gauge g : Management.meterRegistry(getCamelContext()).find("trunkgate.connections.open").gauges()) {
                open.put(g.getId().getTag("side") + "_" + g.getId().getTag("role"), (long) g.value());
            }
        } catch (IllegalStateException e) {
            // no registry: no counts
        }
        j.put("connections_open", open);
        TrunkTls tls = bean(TrunkgateBeans.TRUNK_TLS, TrunkTls.class);
        if (tls != null) {
            X509Certificate leaf = tls.chain().get(0);
            JsonObject cert = new JsonObject();
            cert.put("subject", leaf.getSubjectX500Principal().getName());
            cert.put("names", String.join(",", CertificateNames.dnsNames(leaf)));
            cert.put("not_after", leaf.getNotAfter().toInstant().toString());
            cert.put("days_left", Duration.between(Instant.now(), leaf.getNotAfter().toInstant()).toDays());
            j.put("certificate", cert);
            CrlCache crls = tls.crls();
            j.put("crls", crls == null ? 0 : crls.status().stream().filter(s -> s.obtained() != null).count());
        }
        MediaRelayService relay = bean(TrunkgateBeans.MEDIA_RELAY, MediaRelayService.class);
        if (relay != null && relay.running()) {
            j.put("media_ports_free", (long) SipMeters.portsFree(relay));
            j.put("media_sessions", relay.relay().sessionCount());
        }
        if (getCamelContext().getRegistry().lookupByName(TrunkgateBeans.FLOW_EVENTS) instanceof FlowObserver observer) {
            j.put("hep", observer.hepReceiver());
            j.put("calls_open", observer.openCalls());
        }
        return j;
    }

    private <T> T bean(String name, Class<T> type) {
        return getCamelContext().getRegistry().lookupByNameAndType(name, type);
    }
}
