package io.trunkgate.proxy;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.util.Timeout;
import io.trunkgate.flow.FlowEvents;
import io.trunkgate.flow.NextHop;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.SipConnection;
import io.trunkgate.flow.TrunkgateService;
import io.trunkgate.sip.SipReplies;
import io.trunkgate.transport.ConnectionWatch;
import io.trunkgate.transport.NettySipConnection;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction-stateful, record-routing proxy of RFC 3261 sections 16 and 17 between the trunk side and the
 * inside: the facade the steps of this package call. Split by concern as Kamailio's tm is: the
 * {@link TransactionTable}, the {@link Retransmissions} timers, the {@link AckBridge} between legs of different
 * reliability, the {@link DialogTable} of trunk connections, all on one {@link SipTimers} wheel; here are the
 * proxy's decisions: loose routing, Via/branch, rport, double Record-Route, CANCEL, ACK for non-2xx hop by hop,
 * failover to the trunk's next host (ROUTE-5), and the ACK and BYE that end a call the media step refused.
 */
public class ProxyCore extends TrunkgateService {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyCore.class);

    private final ProxyConfig config;
    private final Egress egress;
    private final HeaderFactoryImpl headerFactory = new HeaderFactoryImpl();
    private final AddressFactoryImpl addressFactory = new AddressFactoryImpl();
    private SipTimers timers;
    private TransactionTable transactions;
    private Retransmissions retransmissions;
    private AckBridge acks;
    private DialogTable dialogs;
    private final List<java.util.function.Consumer<String>> callEndListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.function.Supplier<FlowEvents> events = () -> FlowEvents.NONE;

    public ProxyCore(ProxyConfig config, Egress egress) {
        this.config = config;
        this.egress = egress;
    }

    public ProxyConfig config() {
        return config;
    }

    /** Tells {@code events} (the bean flowEvents) how each call goes: failover, answer, end. */
    public ProxyCore events(java.util.function.Supplier<FlowEvents> events) {
        this.events = events;
        return this;
    }

    // ---------------------------------------------------------------- requests

    /**
     * The server-transaction step for a request (RFC 3261 16.3, 17.2): retransmissions answered from the
     * transaction, ACK for a non-2xx absorbed, CANCEL answered and passed on, Max-Forwards and loops checked.
     * Returns the new server transaction when the request goes on to routing, null when it ends here.
     */
    public ServerTransaction onRequest(SIPRequest request, SipConnection from, Side side) throws ParseException {
        markReceived(request, from);
        String method = request.getMethod();
        if (SIPRequest.ACK.equals(method)) {
            ServerTransaction invite = transactions.server(request, SIPRequest.INVITE);
            if (invite != null && invite.awaitsAckForFailure()) {
                invite.acknowledged();
                return null; // ACK for a non-2xx ends at this hop (RFC 3261 17.2.1)
            }
            if (!acks.ackArrived(request.getCallId().getCallId(), request.getCSeq().getSeqNumber())) {
                return null; // a repeated ACK (our own 2xx retransmission caused it): the next hop has its ACK already
            }
            return new ServerTransaction(null, request, from, side); // ACK for a 2xx: end to end, no transaction
        }
        if (SIPRequest.CANCEL.equals(method)) {
            onCancel(request, from);
            return null;
        }
        ServerTransaction existing = transactions.server(request, method);
        if (existing != null) {
            byte[] last = existing.lastResponse;
            if (last != null) {
                from.send(last); // a retransmission: answer again, never forward twice
            }
            return null;
        }
        if (request.getMaxForwards() != null && request.getMaxForwards().getMaxForwards() <= 0) {
            reply(request, from, 483, "Too Many Hops", "Max-Forwards reached 0");
            return null;
        }
        for (Object v : request.getViaHeaders()) {
            String branch = ((Via) v).getBranch();
            if (branch != null && branch.startsWith(config.branchPrefix())) {
                reply(request, from, 482, "Loop Detected", "this request already passed this gateway");
                return null;
            }
        }
        ServerTransaction st = new ServerTransaction(TransactionTable.serverKey(request, method), request, from, side);
        if (!transactions.add(st)) {
            return null; // a retransmission raced the original
        }
        if (st.isInvite()) {
            st.respond(100, SipReplies.bytes(SipReplies.response(request, 100, "Trying"))); // stops upstream's timer A
        }
        return st;
    }

    private void onCancel(SIPRequest cancel, SipConnection from) {
        ServerTransaction invite = transactions.server(cancel, SIPRequest.INVITE);
        if (invite == null) {
            reply(cancel, from, 481, "Call/Transaction Does Not Exist", "no INVITE transaction matches this CANCEL");
            return;
        }
        from.send(SipReplies.bytes(SipReplies.response(cancel, 200, "OK")));
        invite.cancelled = true;
        ClientTransaction ct = invite.client;
        if (invite.hasFinal() || ct == null) {
            return;
        }
        synchronized (ct) {
            if (ct.cancelNow()) {
                sendCancel(ct);
            }
        }
    }

    /**
     * Loose routing (RFC 3261 16.4): our own Route entries are removed. Returns the next hop when the request
     * already knows its way (a remaining Route, or in-dialog: the Request-URI), null when it needs trunk routing.
     */
    public NextHop routeSet(SIPRequest request, Side arrivedOn) {
        RouteList routes = request.getRouteHeaders();
        while (routes != null && !routes.isEmpty()) {
            javax.sip.address.URI uri = ((Route) routes.getFirst()).getAddress().getURI();
            if (uri instanceof SipURI sip && config.isOurs(sip.getHost(), sip.getPort())) {
                request.removeFirst(RouteHeader.NAME);
                routes = request.getRouteHeaders();
            } else {
                break;
            }
        }
        Side toward = arrivedOn.other();
        if (routes != null && !routes.isEmpty()) {
            return NextHop.of(((Route) routes.getFirst()).getAddress().getURI(), toward);
        }
        if (request.getToTag() != null || SIPRequest.ACK.equals(request.getMethod())) {
            return NextHop.of(request.getRequestURI(), toward);
        }
        return null;
    }

    /**
     * Forwards a request (RFC 3261 16.6): Max-Forwards, Record-Route, our Via, a client transaction, send.
     *
     * @param requestUri the new Request-URI, or null to keep it
     * @param failover   where to try next when this hop fails (ROUTE-5)
     */
    public void forwardRequest(SIPRequest request, ServerTransaction st, NextHop hop, String requestUri, Failover failover) {
        // The request is changed for the next hop, encoded, and changed back: the server transaction keeps it as
        // received (our own 408/503 copy its Vias, ROUTE-5 forwards it again). A clone per forwarded request was
        // 5 KB of garbage per INVITE; CANCEL and the ACK for a non-2xx are built from the bytes sent (ClientTransaction).
        String method = request.getMethod();
        String callId = request.getCallId().getCallId();
        long cseq = request.getCSeq().getSeqNumber();
        boolean initial = request.getToTag() == null;
        javax.sip.address.URI receivedUri = request.getRequestURI();
        MaxForwardsHeader maxForwards = request.getMaxForwards();
        int receivedMaxForwards = maxForwards == null ? -1 : maxForwards.getMaxForwards();
        int recordRoutes = 0;
        boolean viaAdded = false;
        String branch = newBranch();
        byte[] bytes;
        String failure = null;
        try {
            if (requestUri != null) {
                request.setRequestURI(addressFactory.createURI(requestUri));
            }
            if (maxForwards == null) {
                request.setHeader(headerFactory.createMaxForwardsHeader(70));
            } else {
                maxForwards.decrementMaxForwards();
            }
            boolean dialogCreating = initial && (SIPRequest.INVITE.equals(method)
                    || "SUBSCRIBE".equals(method) || "REFER".equals(method));
            if (dialogCreating) {
                // double Record-Route (RFC 5658): the top entry faces the next hop, the second the previous one
                String insideTransport = hop.side() == Side.INSIDE ? hop.transport() : st.upstream.transport();
                request.addFirst(recordRoute(st.arrivedOn, insideTransport));
                recordRoutes++;
                request.addFirst(recordRoute(hop.side(), insideTransport));
                recordRoutes++;
            }
            ViaHeader via = hop.side() == Side.TRUNK
                    ? headerFactory.createViaHeader(config.trunkHost(), config.trunkPort(), "TLS", branch)
                    : headerFactory.createViaHeader(config.insideHost(), config.insidePort(), hop.transport().toUpperCase(Locale.ROOT), branch);
            via.setRPort();
            request.addFirst(via);
            viaAdded = true;
            bytes = request.encodeAsBytes(hop.transport().toUpperCase(Locale.ROOT));
        } catch (Exception e) {
            bytes = null;
            failure = e.getMessage();
        } finally {
            restore(request, receivedUri, maxForwards, receivedMaxForwards, recordRoutes, viaAdded);
        }
        if (bytes == null) {
            reply(st, 500, "Server Internal Error", "cannot build the forwarded request: " + failure);
            return;
        }
        byte[] sent = bytes;
        boolean ack = SIPRequest.ACK.equals(method);
        ClientTransaction ct = ack ? null : new ClientTransaction(branch, method, hop, st);
        if (ct != null) {
            ct.failover = failover;
            ct.received = request;
            ct.bytes = sent;
            transactions.add(ct);
            st.client = ct;
        }
        connectionFor(callId, initial, hop).whenComplete((connection, error) -> {
            if (error != null) {
                unreachable(ct, st, hop, error);
                return;
            }
            if (ct != null) {
                ct.downstream = connection;
                retransmissions.start(ct);
                if (SIPRequest.INVITE.equals(method) && initial) {
                    rememberDialog(callId, st, hop, connection);
                }
            } else if (!reliable(connection.transport())) {
                acks.ackSent(callId, cseq, sent, connection);
            }
            connection.send(sent);
        });
    }

    /** Undoes forwardRequest's changes: the request is as received again. */
    private static void restore(SIPRequest request, javax.sip.address.URI uri, MaxForwardsHeader maxForwards, int value,
                                int recordRoutes, boolean viaAdded) {
        if (viaAdded) {
            request.removeFirst(ViaHeader.NAME);
        }
        for (int i = 0; i < recordRoutes; i++) {
            request.removeFirst(RecordRouteHeader.NAME);
        }
        try {
            if (maxForwards == null) {
                request.removeHeader(MaxForwardsHeader.NAME);
            } else {
                maxForwards.setMaxForwards(value);
            }
        } catch (InvalidArgumentException e) {
            throw new IllegalStateException(e); // the value came from this header
        }
        request.setRequestURI(uri);
    }

    private CompletableFuture<SipConnection> connectionFor(String callId, boolean initial, NextHop hop) {
        if (hop.side() == Side.TRUNK && !initial) {
            SipConnection dialog = dialogs.trunkConnection(callId);
            if (dialog != null) {
                return CompletableFuture.completedFuture(dialog); // connection reuse within the dialog
            }
        }
        return egress.connect(hop);
    }

    private void rememberDialog(String callId, ServerTransaction st, NextHop hop, SipConnection egressConnection) {
        if (st.arrivedOn == Side.TRUNK) {
            dialogs.remember(callId, st.upstream, egressConnection);
        } else if (hop.side() == Side.TRUNK) {
            dialogs.remember(callId, egressConnection, st.upstream);
        }
    }

    /**
     * Tells {@code listener} the Call-ID of every call that ends: its BYE answered, its INVITE answered with a
     * failure (a refusal of any step included), or its dialog forgotten by the sweep (connection gone, 12 h). May be
     * told more than once for one call, and for calls it never saw.
     */
    public void onCallEnd(java.util.function.Consumer<String> listener) {
        callEndListeners.add(listener);
    }

    /** Calls with a dialog now (from the INVITE forwarded until the BYE answered). */
    public int dialogs() {
        return dialogs.size();
    }

    private void unreachable(ClientTransaction ct, ServerTransaction st, NextHop hop, Throwable error) {
        String cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause().getMessage() : error.getMessage();
        LOG.warn("cannot forward {} to {}: {}", st.method, hop, cause);
        if (ct != null) {
            transactions.remove(ct);
            boolean retargeted = retarget(ct, "unreachable");
            ct.release();
            if (retargeted) {
                return;
            }
        }
        SIPRequest request = st.request;
        if (st.key != null && !st.hasFinal() && request != null) {
            SIPResponse r = SipReplies.response(request, 503, "Service Unavailable");
            SipReplies.warn(r, "next hop " + hop + " unreachable: " + cause);
            SipReplies.retryAfter(r, 30);
            sendResponse(st, r);
        }
    }

    /**
     * Ends a call toward the UAS whose 2xx the media step refused ({@link io.trunkgate.flow.MediaRefusal}): an ACK
     * (to an INVITE's 2xx) and a BYE on the connection the 2xx came in on. The BYE has a client transaction of its
     * own (retransmitted on UDP, its response absorbed); the ACK is kept so a retransmitted 2xx gets it again.
     * Returns what was sent, for the log.
     */
    public List<String> hangUp(SIPResponse ok, SipConnection connection, Side answerer) {
        List<String> sent = new ArrayList<>();
        HangUp hangUp = connection == null || !connection.isOpen() ? null : HangUp.of(config, ok);
        if (hangUp == null) {
            LOG.warn("cannot hang up the answerer of {} {}: {}", ok.getStatusCode(), ok.getCallId().getCallId(),
                    connection == null || !connection.isOpen() ? "no connection back to it" : "its 2xx has no Contact");
            return sent;
        }
        String transport = connection.transport();
        if (hangUp.needsAck()) {
            byte[] ack = hangUp.ack(transport, answerer, newBranch());
            if (!reliable(transport)) {
                acks.ackSent(ok.getCallId().getCallId(), ok.getCSeq().getSeqNumber(), ack, connection);
            }
            connection.send(ack);
            sent.add("ACK");
        }
        String branch = newBranch();
        NextHop hop = new NextHop(connection.remoteAddress().getHostString(), connection.remoteAddress().getPort(),
                transport, answerer);
        ClientTransaction bye = new ClientTransaction(branch, SIPRequest.BYE, hop, null);
        bye.bytes = hangUp.bye(transport, answerer, branch);
        bye.downstream = connection;
        transactions.add(bye);
        connection.send(bye.bytes);
        retransmissions.start(bye);
        sent.add("BYE");
        return sent;
    }

    /**
     * An OPTIONS probe of a remote host (ROUTE-5) from the proxy itself, with a client transaction of its own, over
     * the connection calls to that host use (TrunkConnections: verified TLS, TLS-7, CERT-5). Completes with the
     * first final response, or fails with the cause: no connection, a TLS or certificate failure, or no final
     * response within {@code timeoutMillis}. The answer ends at the proxy; nothing goes upstream.
     */
    public CompletableFuture<SIPResponse> options(NextHop hop, long timeoutMillis) {
        String branch = newBranch();
        ClientTransaction ct = new ClientTransaction(branch, "OPTIONS", hop, null);
        CompletableFuture<SIPResponse> answer = new CompletableFuture<>();
        ct.answer = answer;
        ct.bytes = OptionsProbe.request(config, hop, branch);
        transactions.add(ct);
        long[] sentAt = {System.nanoTime()};
        Timeout limit = timers.after(timeoutMillis, () -> {
            boolean timedOut = answer.completeExceptionally(new java.util.concurrent.TimeoutException(
                    "no answer to OPTIONS in " + timeoutMillis + " ms"));
            // nothing at all came back on a connection no call uses: it may be wedged; the next probe opens a new one
            if (timedOut && ct.downstream instanceof NettySipConnection c && c.silentSince(sentAt[0])) {
                ConnectionWatch.close(c.channel(), "nothing received for " + timeoutMillis
                        + " ms after an OPTIONS probe (trunkgate.probe.timeout)", true);
            }
        });
        answer.whenComplete((r, e) -> {
            SipTimers.cancel(limit);
            if (e != null) {
                transactions.remove(ct);
            }
        });
        egress.connect(hop).whenComplete((connection, error) -> {
            if (error != null) {
                answer.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
                return;
            }
            ct.downstream = connection;
            sentAt[0] = System.nanoTime();
            connection.send(ct.bytes);
            retransmissions.start(ct); // timer E on UDP; the limit above ends it sooner than timer F
        });
        return answer;
    }

    // ---------------------------------------------------------------- responses

    /**
     * The client-transaction step for a response (RFC 3261 16.7, 17.1): matched by our Via's branch; 100 and
     * retransmitted finals end here; an ACK goes downstream for a non-2xx final to an INVITE; our Via is removed.
     * Returns the server transaction to answer on, or null when the response ends here.
     */
    public ServerTransaction onResponse(SIPResponse response) {
        Via top = response.getTopmostVia();
        String branch = top == null ? null : top.getBranch();
        String method = response.getCSeq().getMethod();
        ClientTransaction ct = branch == null ? null : transactions.client(branch, method);
        if (ct == null) {
            LOG.debug("dropped a {} {} response: no transaction of ours matches it", response.getStatusCode(), method);
            return null;
        }
        int status = response.getStatusCode();
        synchronized (ct) {
            retransmissions.answered(ct);
            if (status < 200) {
                ct.provisional(config.t2Millis());
                if (ct.cancelPending && !ct.cancelSent) {
                    sendCancel(ct);
                }
                if (status == 100 || ct.server == null) {
                    return null; // 100 is hop by hop: we sent our own
                }
            } else {
                boolean first = ct.complete();
                if (ct.isInvite() && status >= 300) {
                    sendAck(ct, response);
                }
                if (first) {
                    transactions.completed(ct, status);
                    if (ct.answer != null) {
                        ct.answer.complete(response); // our own probe: answered
                    }
                    boolean retargeted = (status == 408 || status == 503) && retarget(ct, "answered " + status);
                    ct.release();
                    if (retargeted) {
                        return null; // the next proxy of the trunk gets the call (ROUTE-5)
                    }
                }
                boolean forwardAgain = ct.isInvite() && status < 300; // 2xx retransmissions go end to end
                if (!first && forwardAgain
                        && acks.resendAck(response.getCallId().getCallId(), response.getCSeq().getSeqNumber())) {
                    return null; // the UDP leg lost our ACK: resent, the 2xx ends here
                }
                if (ct.server == null || (!first && !forwardAgain)) {
                    return null;
                }
            }
        }
        response.removeFirst(ViaHeader.NAME);
        return ct.server;
    }

    /**
     * Sends a response of the gateway's own upstream (a refusal, a timeout) on the connection its request came in on,
     * remembering it (RFC 3261 18.2.2).
     */
    public void sendResponse(ServerTransaction st, SIPResponse response) {
        respond(st, response, true);
    }

    /** Sends a response from the next hop upstream (sipForward), as {@link #sendResponse} does. */
    public void relayResponse(ServerTransaction st, SIPResponse response) {
        respond(st, response, false);
    }

    private void respond(ServerTransaction st, SIPResponse response, boolean generated) {
        int status = response.getStatusCode();
        byte[] bytes = SipReplies.bytes(response);
        st.respond(status, bytes);
        if (status < 200) {
            return;
        }
        if (st.isInvite() && !st.reliable()) {
            if (status >= 300) {
                retransmissions.awaitAck(st);
            } else {
                acks.retransmit2xx(response.getCallId().getCallId(), response.getCSeq().getSeqNumber(), st.upstream, bytes);
            }
        }
        transactions.finished(st);
        String callId = response.getCallId().getCallId();
        if (st.isInvite() && st.initial) {
            SipConnection trunk = st.arrivedOn == Side.TRUNK ? st.upstream : dialogs.trunkConnection(callId);
            events.get().callAnswered(callId, status, st.cancelled, generated, trunk);
        } else if (SIPRequest.BYE.equals(st.method)) {
            events.get().callEnded(callId, st.arrivedOn, "BYE");
        }
        // a failed re-INVITE leaves its dialog up (RFC 3261 14.1): only the initial INVITE's failure ends the call
        if (SIPRequest.BYE.equals(response.getCSeq().getMethod()) || (st.isInvite() && st.initial && status >= 300)) {
            dialogs.forget(response.getCallId().getCallId());
        }
    }

    /** Sends the call to the trunk's next host, when there is one and no final response went upstream yet. */
    private boolean retarget(ClientTransaction ct, String why) {
        if (ct.failover == null || ct.server == null || ct.server.hasFinal() || ct.server.key == null) {
            return false;
        }
        Optional<Failover.Retarget> next = ct.failover.after(ct.hop.host());
        if (next.isEmpty()) {
            return false;
        }
        LOG.warn("remote {} {} for {}: trying {} (ROUTE-5)", ct.hop, why, ct.callId(), next.get().hop());
        events.get().callRetried(ct.callId(), ct.hop.host(), next.get().hop().host());
        forwardRequest(ct.received, ct.server, next.get().hop(), next.get().requestUri(), ct.failover);
        return true;
    }

    /** Timer B or F ended a client transaction: the trunk's next host, else 408 upstream. */
    private void timedOut(ClientTransaction ct) {
        transactions.remove(ct);
        String timer = ct.isInvite() ? "B" : "F";
        boolean retargeted = retarget(ct, "no response (timer " + timer + ")");
        ct.release();
        if (retargeted) {
            return;
        }
        if (ct.server != null && ct.server.key != null && !ct.server.hasFinal()) {
            LOG.warn("no answer from {} to {} in {} ms: 408 upstream", ct.hop, ct.method, config.timeoutMillis());
            reply(ct.server, 408, "Request Timeout", "no response from " + ct.hop + " (timer " + timer + ")");
        }
    }

    // ---------------------------------------------------------------- hop-by-hop requests

    private void sendCancel(ClientTransaction ct) {
        try {
            SIPRequest forwarded = ct.forwarded();
            if (forwarded == null) {
                return; // completed meanwhile: nothing left to cancel
            }
            SIPRequest cancel = forwarded.createCancelRequest();
            ClientTransaction cancelTx = new ClientTransaction(ct.branch, SIPRequest.CANCEL, ct.hop, null);
            cancelTx.bytes = cancel.encodeAsBytes(ct.hop.transport().toUpperCase(Locale.ROOT));
            cancelTx.downstream = ct.downstream;
            transactions.add(cancelTx);
            ct.cancelSent = true;
            ct.downstream.send(cancelTx.bytes);
            retransmissions.start(cancelTx);
        } catch (Exception e) {
            LOG.warn("cannot send CANCEL to {}: {}", ct.hop, e.toString());
        }
    }

    private void sendAck(ClientTransaction ct, SIPResponse response) {
        try {
            if (ct.ack == null) { // the first non-2xx: later retransmissions of it get the same ACK
                SIPRequest forwarded = ct.forwarded();
                if (forwarded == null) {
                    return; // released meanwhile: nothing to acknowledge from
                }
                SIPRequest ack = forwarded.createErrorAck((To) response.getTo());
                ct.ack = ack.encodeAsBytes(ct.hop.transport().toUpperCase(Locale.ROOT));
            }
            ct.downstream.send(ct.ack);
        } catch (Exception e) {
            LOG.warn("cannot ACK a {} from {}: {}", response.getStatusCode(), ct.hop, e.toString());
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A new branch of ours: the magic cookie, this instance's tag (loop detection) and a random part. */
    private String newBranch() {
        return config.branchPrefix() + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    private static boolean reliable(String transport) {
        return !"udp".equals(transport);
    }

    /** received and rport on the top Via (RFC 3261 18.2.1, RFC 3581), so responses go where the request came from. */
    private static void markReceived(SIPRequest request, SipConnection from) throws ParseException {
        Via top = request.getTopmostVia();
        if (top == null || from.remoteAddress() == null) {
            return;
        }
        String source = from.remoteAddress().getAddress().getHostAddress();
        if (top.hasParameter("rport")) {
            top.setParameter("rport", String.valueOf(from.remoteAddress().getPort()));
            top.setReceived(source);
        } else if (!source.equals(top.getHost())) {
            top.setReceived(source);
        }
    }

    private RecordRouteHeader recordRoute(Side side, String insideTransport) throws ParseException {
        String uri = config.recordRoute(side, insideTransport);
        return headerFactory.createRecordRouteHeader(addressFactory.createAddress(uri.substring(1, uri.length() - 1)));
    }

    private static void reply(SIPRequest request, SipConnection to, int status, String reason, String warning) {
        SIPResponse r = SipReplies.response(request, status, reason);
        SipReplies.warn(r, warning);
        to.send(SipReplies.bytes(r));
    }

    private void reply(ServerTransaction st, int status, String reason, String warning) {
        SIPRequest request = st.request;
        if (request == null) {
            return; // a final response went upstream meanwhile
        }
        SIPResponse r = SipReplies.response(request, status, reason);
        SipReplies.warn(r, warning);
        sendResponse(st, r);
    }

    /** The proxy's timing wheel, for the prober's rounds. */
    SipTimers timers() {
        return timers;
    }

    /** Open transactions, for tests and the status view. */
    public int transactions() {
        return transactions.size();
    }



    @Override
    protected void doStart() {
        ObjectHelper.notNull(getCamelContext(), "camelContext");
        timers = new SipTimers(r -> getCamelContext().getExecutorServiceManager().newThread("trunkgate-sip-timers", r));
        transactions = new TransactionTable(timers, config);
        retransmissions = new Retransmissions(timers, config, this::timedOut);
        acks = new AckBridge(timers, config);
        dialogs = new DialogTable(timers, callId -> callEndListeners.forEach(l -> l.accept(callId)));
        dialogs.startSweeping();
    }

    @Override
    protected void doStop() {
        if (timers != null) {
            timers.stop();
        }
    }
}
