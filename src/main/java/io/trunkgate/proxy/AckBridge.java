package io.trunkgate.proxy;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.netty.util.Timeout;
import io.trunkgate.flow.SipConnection;

/**
 * The ACK for a 2xx between legs that differ in reliability (RFC 3261 13.3.1.4, 17.1.1.3: a 2xx and its ACK are end
 * to end, so no transaction retransmits them). One record per INVITE (Call-ID and CSeq), for 64*T1:
 * <ul>
 * <li>toward a UDP caller, our copy of the 2xx is resent at T1, doubling up to T2, until its ACK passes (a UAS on
 * TLS/TCP need not retransmit its 2xx, so the gateway makes the UDP leg reliable itself);</li>
 * <li>toward a UDP callee, the ACK we forwarded is kept: when the callee retransmits its 2xx because the ACK was
 * lost, the gateway answers with that ACK itself (a caller on TLS/TCP never sees the loss and would not resend);</li>
 * <li>a repeated ACK (provoked by our own 2xx retransmission) ends here: the next hop has its ACK.</li>
 * </ul>
 */
final class AckBridge {

    /** Fields written under the record's monitor; read by the timer thread and the SIP threads. */
    private static final class Record {
        byte[] ack;
        SipConnection ackTo;
        Timeout retransmit2xx;
        boolean acked;
    }

    private final ConcurrentMap<String, Record> records = new ConcurrentHashMap<>();
    private final SipTimers timers;
    private final ProxyConfig config;
    private final Lingering<String> expiring;

    AckBridge(SipTimers timers, ProxyConfig config) {
        this.timers = timers;
        this.config = config;
        this.expiring = timers.lingering(TransactionTable.LINGER_MILLIS, records::remove);
    }

    private Record record(String callId, long cseq) {
        String key = callId + "|" + cseq;
        return records.computeIfAbsent(key, k -> {
            expiring.add(k);
            return new Record();
        });
    }

    /** An ACK for a 2xx arrived: our 2xx retransmission stops. True the first time (forward it), false for a repeat. */
    boolean ackArrived(String callId, long cseq) {
        Record r = record(callId, cseq);
        synchronized (r) {
            SipTimers.cancel(r.retransmit2xx);
            r.retransmit2xx = null;
            boolean first = !r.acked;
            r.acked = true;
            return first;
        }
    }

    /** An ACK for a 2xx sent toward a UDP peer: kept to answer that peer's 2xx retransmissions. */
    void ackSent(String callId, long cseq, byte[] ack, SipConnection to) {
        Record r = record(callId, cseq);
        synchronized (r) {
            r.ack = ack;
            r.ackTo = to;
        }
    }

    /** A retransmitted 2xx: true when we hold its ACK and sent it again (the 2xx ends here). */
    boolean resendAck(String callId, long cseq) {
        Record r = records.get(callId + "|" + cseq);
        if (r == null) {
            return false;
        }
        byte[] ack;
        SipConnection to;
        synchronized (r) {
            ack = r.ack;
            to = r.ackTo;
        }
        if (ack == null) {
            return false;
        }
        to.send(ack);
        return true;
    }

    /** A 2xx sent upstream to a UDP caller: resent at T1, doubling up to T2, until its ACK or 64*T1 (13.3.1.4). */
    void retransmit2xx(String callId, long cseq, SipConnection upstream, byte[] response) {
        Record r = record(callId, cseq);
        synchronized (r) {
            if (r.acked || r.retransmit2xx != null) {
                return;
            }
            schedule(r, upstream, response, config.t1Millis(), System.currentTimeMillis() + config.timeoutMillis());
        }
    }

    private void schedule(Record r, SipConnection upstream, byte[] response, long interval, long deadline) {
        r.retransmit2xx = timers.after(interval, () -> {
            synchronized (r) {
                if (r.acked || System.currentTimeMillis() >= deadline) {
                    r.retransmit2xx = null;
                    return;
                }
                upstream.send(response);
                schedule(r, upstream, response, Math.min(interval * 2, config.t2Millis()), deadline);
            }
        });
    }
}
