package io.trunkgate.observe;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.trunkgate.flow.CallStart;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.SipConnection;
import io.trunkgate.media.relay.MediaSession;

/**
 * Every call between its first INVITE forwarded and its end, by Call-ID: the calls' meters (started, answered,
 * failed, set-up time) and, when {@code trunkgate.cdr.enabled}, one call detail record per call handed to
 * {@code direct:cdr} without waiting ({@link Handoff}). A call ends at the failure answered to its INVITE (a CANCEL,
 * the callee's refusal, the gateway's own 408/503/488), at its BYE answered, at its media timeout, or when the proxy
 * forgets its dialog (connection gone).
 */
final class CallRecords {

    private final ConcurrentMap<String, CallRecord> calls = new ConcurrentHashMap<>();
    private final SipMeters meters;
    /** Null: CDRs off, only the meters. */
    private final Handoff<CallRecord> cdr;
    /** The last TLS session's peer name and suite: the calls of one trunk connection share its session. */
    private volatile TlsNames lastTls;

    private record TlsNames(SSLSession session, String peer, String cipher) {
    }

    CallRecords(SipMeters meters, Handoff<CallRecord> cdr) {
        this.meters = meters;
        this.cdr = cdr;
    }

    void started(CallStart start) {
        meters.callStarted(start.trunk(), start.direction());
        calls.put(start.callId(), new CallRecord(start));
    }

    void retried(String callId, String failedHost, String nextHost) {
        CallRecord call = calls.get(callId);
        if (call != null) {
            synchronized (call.failedOver) {
                call.failedOver.add(failedHost);
            }
            call.remoteHost = nextHost;
        }
    }

    void answered(String callId, int status, boolean cancelled, boolean generated, SipConnection trunkConnection,
            MediaSession media) {
        CallRecord call = calls.get(callId);
        if (call == null || call.finalStatus != 0) {
            return;
        }
        call.finalStatus = status;
        tls(call, trunkConnection);
        meters.callAnswered(call.start.trunk(), call.start.direction(), status, System.nanoTime() - call.start.startNanos());
        if (media != null) {
            call.media = media;
        }
        if (status < 300) {
            call.answerMillis = System.currentTimeMillis();
        } else {
            end(call, cancelled ? "caller" : generated ? "gateway" : "callee", cancelled ? "CANCEL" : "failure");
        }
    }

    /** An answered call's BYE (from {@code by}) was answered, or the gateway ended it ({@code by} null). */
    void ended(String callId, Side by, String how) {
        CallRecord call = calls.get(callId);
        if (call != null) {
            end(call, by == null ? "gateway" : by == call.start.callerSide() ? "caller" : "callee", how);
        }
    }

    /** A media session was released: the counters of its call; a media timeout ends the call. */
    void mediaReleased(MediaSession session, boolean timeout) {
        CallRecord call = calls.get(session.id());
        if (call == null) {
            return;
        }
        call.media = session;
        if (timeout) {
            end(call, "gateway", "media timeout");
        }
    }

    /** The proxy forgot the call's dialog; a call still open here ended without a BYE we saw. */
    void forgotten(String callId) {
        CallRecord call = calls.get(callId);
        if (call != null) {
            end(call, "gateway", call.answered() ? "dialog gone (connection closed or 12 h)" : "no final response");
        }
    }

    /** Calls open now. */
    int open() {
        return calls.size();
    }

    private void end(CallRecord call, String endedBy, String reason) {
        if (!calls.remove(call.start.callId(), call)) {
            return; // ended already
        }
        call.endMillis = System.currentTimeMillis();
        call.endedBy = endedBy;
        call.endReason = reason;
        if (cdr != null) {
            cdr.offer(call);
        }
    }

    private void tls(CallRecord call, SipConnection trunk) {
        SSLSession session = trunk == null ? null : trunk.tlsSession();
        if (session == null) {
            return;
        }
        TlsNames names = lastTls;
        if (names == null || names.session() != session) { // the peer's name is formatted anew by each call of getName
            String peer;
            try {
                peer = session.getPeerPrincipal().getName();
            } catch (SSLPeerUnverifiedException e) {
                peer = null; // one-way TLS (TLS-7): the remote that called us showed no certificate
            }
            names = new TlsNames(session, peer, session.getCipherSuite());
            lastTls = names;
        }
        call.tlsCipher = names.cipher();
        call.tlsPeer = names.peer();
    }
}
