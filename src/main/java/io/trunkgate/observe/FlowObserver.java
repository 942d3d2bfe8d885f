package io.trunkgate.observe;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.CallStart;
import io.trunkgate.flow.FlowEvents;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.SipConnection;
import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.flow.TrunkgateService;
import io.trunkgate.media.relay.MediaRelayService;
import io.trunkgate.media.relay.MediaSession;
import io.trunkgate.proxy.ProxyCore;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bean {@code flowEvents}: what the call flow tells ({@link FlowEvents}) goes to the Prometheus meters
 * ({@link SipMeters}), to the HEP receiver when {@code trunkgate.hep.address} is set ({@link HepSender}), and to the
 * call detail records when {@code trunkgate.cdr.enabled} ({@link CallRecords}, handed to {@code direct:cdr}). A
 * service: the meters register with the application's {@link MeterRegistry} at start, the HEP and CDR threads live
 * until stop. Before its start (and after its stop) it hears nothing.
 */
public class FlowObserver extends TrunkgateService implements FlowEvents {

    private static final Logger LOG = LoggerFactory.getLogger(FlowObserver.class);
    /** Where the call detail records go: routes/cdr.yaml, or a user's route of the same URI. */
    public static final String CDR_URI = "direct:cdr";
    /** The CDR thread's pause once it emptied its queue: ~100 records a pass at 1,000 calls/s, far below the queue. */
    static final Duration CDR_PASS = Duration.ofMillis(100);

    private final Settings settings;
    private volatile SipMeters meters;
    private volatile HepSender hep;
    private volatile CallRecords calls;
    private volatile Handoff<CallRecord> cdr;
    private ProducerTemplate producer;
    private boolean listening;

    public FlowObserver(Settings settings) {
        this.settings = settings;
    }

    // ---------------------------------------------------------------- FlowEvents

    @Override
    public void received(SipConnection from, byte[] message) {
        SipMeters m = meters;
        if (m != null) {
            m.message(from, message, true);
        }
        HepSender h = hep;
        if (h != null) {
            h.trace(from, message, true);
        }
    }

    @Override
    public void sent(SipConnection to, byte[] message) {
        SipMeters m = meters;
        if (m != null) {
            m.message(to, message, false);
        }
        HepSender h = hep;
        if (h != null) {
            h.trace(to, message, false);
        }
    }

    @Override
    public void parseRefused(String cause) {
        SipMeters m = meters;
        if (m != null) {
            m.parseRefused(cause);
        }
    }

    @Override
    public void connectionOpened(Side side, boolean client) {
        SipMeters m = meters;
        if (m != null) {
            m.connectionOpened(side, client);
        }
    }

    @Override
    public void connectionClosed(Side side, boolean client, String cause) {
        SipMeters m = meters;
        if (m != null) {
            m.connectionClosed(side, client, cause);
        }
    }

    @Override
    public void handshake(boolean client, Throwable failure, boolean transportMismatch) {
        SipMeters m = meters;
        if (m != null) {
            m.handshake(client, failure, transportMismatch);
        }
    }

    @Override
    public void callStarted(CallStart call) {
        CallRecords c = calls;
        if (c != null) {
            c.started(call);
        }
    }

    @Override
    public void callRetried(String callId, String failedHost, String nextHost) {
        CallRecords c = calls;
        if (c != null) {
            c.retried(callId, failedHost, nextHost);
        }
    }

    @Override
    public void callAnswered(String callId, int status, boolean cancelled, boolean generated, SipConnection trunkConnection) {
        CallRecords c = calls;
        if (c != null) {
            c.answered(callId, status, cancelled, generated, trunkConnection, status < 300 ? mediaSession(callId) : null);
        }
    }

    @Override
    public void callEnded(String callId, Side by, String how) {
        CallRecords c = calls;
        if (c != null) {
            c.ended(callId, by, how);
        }
    }

    private MediaSession mediaSession(String callId) {
        MediaRelayService relay = getCamelContext().getRegistry().lookupByNameAndType(TrunkgateBeans.MEDIA_RELAY,
                MediaRelayService.class);
        return relay == null || !relay.running() ? null : relay.relay().session(callId);
    }

    // ---------------------------------------------------------------- what the management routes read

    /** The meters, up to date: refusal causes seen since the last scrape get their counter. */
    public void refreshMeters() {
        SipMeters m = meters;
        if (m != null) {
            m.refresh();
        }
    }

    /** Calls between their INVITE and their end now (the dev console). */
    public int openCalls() {
        CallRecords c = calls;
        return c == null ? 0 : c.open();
    }

    /** Where HEP traces go, or null when off (the dev console). */
    public String hepReceiver() {
        HepSender h = hep;
        return h == null ? null : h.transport() + ":" + h.receiver().getHostString() + ":" + h.receiver().getPort();
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    protected void doStart() throws Exception {
        CamelContext context = getCamelContext();
        MeterRegistry registry = Management.meterRegistry(context);
        SipMeters m = new SipMeters(registry, context);
        HepSender h = HepSender.from(settings);
        Handoff<CallRecord> records = null;
        if (settings.getBoolean("trunkgate.cdr.enabled")) {
            producer = context.createProducerTemplate();
            ProducerTemplate p = producer;
            Endpoint route = context.getEndpoint(CDR_URI); // resolved once, not per record
            records = new Handoff<>("trunkgate-cdr", CDR_PASS, settings.getInt("trunkgate.cdr.queue", 1),
                    call -> p.sendBody(route, call.toJson()), true);
            records.start(context.getExecutorServiceManager(), this);
        }
        if (h != null) {
            h.start(context.getExecutorServiceManager());
            LOG.info("SIP traces go to {} over HEP v3 on {} (agent id {}), both sides, TLS in clear text", h.receiver(),
                    h.transport().toUpperCase(java.util.Locale.ROOT), settings.get("trunkgate.hep.agent-id"));
        }
        m.bindGauges(SipMeters.Counts.of(h == null ? null : h.handoff()), SipMeters.Counts.of(records));
        if (!listening) { // once: the listeners read the current call records
            listening = true;
            ProxyCore proxy = context.getRegistry().lookupByNameAndType(TrunkgateBeans.PROXY_CORE, ProxyCore.class);
            if (proxy != null) {
                proxy.onCallEnd(callId -> {
                    CallRecords now = calls;
                    if (now != null) {
                        now.forgotten(callId);
                    }
                });
            }
            MediaRelayService relay = context.getRegistry().lookupByNameAndType(TrunkgateBeans.MEDIA_RELAY,
                    MediaRelayService.class);
            if (relay != null) {
                relay.onRelease(s -> {
                    CallRecords now = calls;
                    if (now != null) { // the relay's own timeout says "no packets for N s"
                        now.mediaReleased(s, s.releaseReason() != null && s.releaseReason().startsWith("no packets"));
                    }
                });
            }
        }
        CallRecords c = new CallRecords(m, records);
        cdr = records;
        hep = h;
        calls = c;
        meters = m;
    }

    @Override
    protected void doStop() throws Exception {
        meters = null;
        calls = null;
        HepSender h = hep;
        hep = null;
        if (h != null) {
            h.stop(getCamelContext().getExecutorServiceManager());
        }
        Handoff<CallRecord> records = cdr;
        cdr = null;
        if (records != null) {
            records.stop(getCamelContext().getExecutorServiceManager()); // the records queued still go to direct:cdr
        }
        if (producer != null) {
            producer.stop();
            producer = null;
        }
    }
}
