package io.trunkgate.proxy;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;

/**
 * The proxy's transactions (RFC 3261 17), as Kamailio's tm keeps them in its hash table: server transactions by the
 * top Via's branch, sent-by and method of the request received, client transactions by the branch of our own Via
 * and method. A finished transaction lingers to absorb retransmissions for as long as RFC 3261 says for its
 * transport, then goes.
 */
final class TransactionTable {

    /**
     * How long a finished INVITE transaction, and the ACK bridge's records, absorb retransmissions: 64*T1 at RFC 3261's
     * T1 of 500 ms (timer D is "at least 32 s" on UDP; RFC 6026 keeps an INVITE server transaction 64*T1 after its
     * 2xx). Fixed, so a shorter configured T1 (faster retransmission) does not shorten it.
     */
    static final long LINGER_MILLIS = 32_000;

    private final ConcurrentMap<String, ServerTransaction> servers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ClientTransaction> clients = new ConcurrentHashMap<>();
    private final Lingering<ServerTransaction> finishedServers;
    private final Lingering<ClientTransaction> completedInvites;
    private final Lingering<ClientTransaction> completedOthers;

    TransactionTable(SipTimers timers, ProxyConfig config) {
        this.finishedServers = timers.lingering(LINGER_MILLIS, st -> servers.remove(st.key, st));
        this.completedInvites = timers.lingering(LINGER_MILLIS, this::remove);
        this.completedOthers = timers.lingering(config.t4Millis(), this::remove);
    }

    // ---------------------------------------------------------------- server transactions

    ServerTransaction server(SIPRequest request, String method) {
        return servers.get(serverKey(request, method));
    }

    /** The new transaction, or false when a retransmission of its request raced it in. */
    boolean add(ServerTransaction st) {
        return servers.putIfAbsent(st.key, st) == null;
    }

    /** Its final response went upstream: a reliable non-INVITE ends at once (timer J = 0, 17.2.2), others linger. */
    void finished(ServerTransaction st) {
        if (st.key == null) {
            return;
        }
        if (!st.isInvite() && st.reliable()) {
            servers.remove(st.key, st);
        } else {
            finishedServers.add(st);
        }
    }

    static String serverKey(SIPRequest request, String method) {
        Via top = request.getTopmostVia();
        // RFC 3261 17.2.3 matches by branch, sent-by and method; the Call-ID is added so a peer reusing a branch for
        // another request (RFC 4475 3.3.3 and 3.3.13 do, after 3.3.2 and 3.3.12) gets its own answer, not the last one
        return top.getBranch() + "|" + top.getSentBy().encode().toLowerCase(Locale.ROOT) + "|" + method + "|"
                + request.getCallId().getCallId();
    }

    // ---------------------------------------------------------------- client transactions

    /** The client transaction a response to {@code method} with our {@code branch} belongs to (17.1.3); an ACK's is its INVITE's. */
    ClientTransaction client(String branch, String method) {
        return clients.get(clientKey(branch, method));
    }

    void add(ClientTransaction ct) {
        clients.put(clientKey(ct.branch, ct.method), ct);
    }

    void remove(ClientTransaction ct) {
        clients.remove(clientKey(ct.branch, ct.method), ct);
    }

    /**
     * Its first final response came: on a reliable transport timers D and K are 0 except for an INVITE's 2xx
     * (17.1.1.2, 17.1.2.2); otherwise it absorbs retransmitted responses for T4 (K) or, for an INVITE, 64*T1 (D, M).
     */
    void completed(ClientTransaction ct, int status) {
        if (ct.reliable() && !(ct.isInvite() && status < 300)) {
            remove(ct);
        } else {
            (ct.isInvite() ? completedInvites : completedOthers).add(ct);
        }
    }

    private static String clientKey(String branch, String method) {
        return branch + "|" + (SIPRequest.ACK.equals(method) ? SIPRequest.INVITE : method);
    }

    /** Open transactions, for tests and the status view. */
    int size() {
        return servers.size() + clients.size();
    }
}
