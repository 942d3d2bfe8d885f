package io.trunkgate.ha;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.SipConnection;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.media.SrtpBridgeProcessor;
import io.trunkgate.proxy.ServerTransaction;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code callState}: the step after srtpBridge that tells the HA call store what changed in a call (issue #18 item
 * 2): the 2xx of its initial INVITE (the dialog: Call-ID, tags, route set, CSeq, both legs), the 2xx of a re-INVITE or
 * UPDATE (new keys), a BYE or CANCEL (the call ends). It only takes note: the store's own thread writes to Redis, so
 * this step costs a map insertion and never waits (item 3). With HA off, or on the standby, it does nothing.
 */
public final class CallStateProcessor implements Processor {

    private final Supplier<HaService> ha;
    private final Supplier<SrtpBridgeProcessor> bridge;

    public CallStateProcessor(Supplier<HaService> ha, Supplier<SrtpBridgeProcessor> bridge) {
        this.ha = ha;
        this.bridge = bridge;
    }

    @Override
    public void process(Exchange exchange) {
        Optional<CallStore> store = ha.get().store();
        if (store.isEmpty()) {
            return;
        }
        Object body = exchange.getIn().getBody();
        if (body instanceof SIPRequest request) {
            String method = request.getMethod();
            if (SIPRequest.BYE.equals(method) || SIPRequest.CANCEL.equals(method)) {
                store.get().ended(request.getCallId().getCallId());
            }
        } else if (body instanceof SIPResponse response) {
            int status = response.getStatusCode();
            String method = response.getCSeq().getMethod();
            if (status < 200 || status >= 300 || !(SIPRequest.INVITE.equals(method) || "UPDATE".equals(method))) {
                return;
            }
            String callId = response.getCallId().getCallId();
            if (store.get().knows(callId)) {
                store.get().changed(callId); // a re-INVITE or UPDATE answered (re-keyed), or a 2xx again
            } else if (SIPRequest.INVITE.equals(method)) {
                Optional<String> trunk = bridge.get().trunk(callId);
                if (trunk.isPresent()) { // calls with bridged media only: a call without any has nothing to restore
                    store.get().answered(trunk.get(), dialog(exchange, response));
                }
            }
        }
    }

    /** The dialog as the initial INVITE's 2xx sets it up, on its way to the caller. */
    private static CallState.Dialog dialog(Exchange exchange, SIPResponse ok) {
        List<String> routeSet = new ArrayList<>();
        if (ok.getRecordRouteHeaders() != null) {
            for (Object rr : ok.getRecordRouteHeaders()) {
                routeSet.add(((RecordRoute) rr).getAddress().toString());
            }
        }
        Side answerer = Side.of(exchange.getIn());
        String answererLeg = leg(exchange.getIn().getHeader(TrunkgateConstants.CONNECTION, SipConnection.class));
        ServerTransaction st = exchange.getProperty(TrunkgateConstants.SERVER_TRANSACTION, ServerTransaction.class);
        String callerLeg = st == null ? null : leg(st.upstream());
        return new CallState.Dialog(ok.getCallId().getCallId(), ok.getFrom().getTag(), ok.getTo().getTag(), routeSet,
                ok.getCSeq().getSeqNumber(), answerer == Side.TRUNK ? answererLeg : callerLeg,
                answerer == Side.TRUNK ? callerLeg : answererLeg);
    }

    private static String leg(SipConnection c) {
        return c == null || c.remoteAddress() == null ? null : c.transport() + ":" + CallState.address(c.remoteAddress());
    }
}
