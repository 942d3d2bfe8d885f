package io.trunkgate.media;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.ContentType;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.trunkgate.flow.BeanRef;
import io.trunkgate.flow.MediaRefusal;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.limits.RefusalLog;
import io.trunkgate.media.relay.MediaRelay;
import io.trunkgate.media.relay.MediaRelayService;
import io.trunkgate.media.relay.MediaSession;
import io.trunkgate.media.relay.SessionState;
import io.trunkgate.media.sdp.MediaSecurity;
import io.trunkgate.media.sdp.MessageBody;
import io.trunkgate.media.sdp.PendingOffer;
import io.trunkgate.media.sdp.SdpResult;
import io.trunkgate.sip.SipReplies;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code srtpBridge}: the media step right before sipForward. Every SDP body (alone or in
 * multipart) of INVITE, re-INVITE, UPDATE, PRACK, ACK and of 18x/2xx responses goes through {@link SrtpBridge}:
 * the trunk side sees RTP/SAVP with our a=crypto (SRTP-1), the inside plain RTP/AVP, both pointing at the
 * {@link MediaRelay}. The rewritten body replaces the JAIN-SIP message's content, Content-Type and
 * Content-Length, since sipForward serialises the message.
 * <p>
 * Per Call-ID (one dialog): the trunk comes from {@code TrunkgateTrunk} on the initial INVITE and is
 * remembered for responses and in-dialog requests; its {@code media.srtp} (SRTP-2) picks the policy. The side
 * an SDP came from is {@code TrunkgateSide}. An SDP answers the pending offer of the other side, otherwise it
 * is an offer (re-INVITE and UPDATE offers re-key the session).
 * <p>
 * Refusals: an offer in a request gets 488 with a Warning naming SRTP-1/SRTP-2 (and the route stops); an
 * SDP refused in a 2xx ends the call: the 2xx becomes a 488 toward the offerer and the proxy is asked (a
 * {@link MediaRefusal}) to send ACK + BYE to the answerer;
 * refused in an 18x: the 18x goes on without its SDP (the 2xx may still answer); refused in an ACK or PRACK:
 * the request goes on without its SDP, the media session is released (the dialog has no media).
 * <p>
 * The session is released on BYE, CANCEL, a final error to the initial INVITE, and by the relay after
 * {@code trunkgate.media.timeout} without packets. Messages for calls we never saw pass unchanged.
 */
public final class SrtpBridgeProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SrtpBridgeProcessor.class);
    /** Every this many new calls, calls that never carried SDP and outlived the media timeout are forgotten. */
    private static final int PURGE_EVERY = 256;

    private final Supplier<MediaRelayService> relay;
    private final Supplier<RefusalLog> refusals;
    private final Consumer<Consumer<String>> callEnds;
    private final java.util.concurrent.atomic.AtomicBoolean listeningForEnds = new java.util.concurrent.atomic.AtomicBoolean();
    /** The relay this step last registered its release listener with (the one bound under mediaRelay). */
    private volatile MediaRelayService listening;
    private final Function<String, Optional<MediaSecurity>> trunkSecurity;
    private final Map<MediaSecurity, SrtpBridge> bridges = new EnumMap<>(MediaSecurity.class);
    private final Map<String, CallMedia> calls = new ConcurrentHashMap<>();
    private final AtomicInteger newCalls = new AtomicInteger();

    /**
     * @param relay         the started relay service (sessions are opened on it)
     * @param trunkSecurity trunk id -> its media.srtp (SRTP-2); empty for an unknown trunk
     */
    public SrtpBridgeProcessor(Supplier<MediaRelayService> relay, Function<String, Optional<MediaSecurity>> trunkSecurity,
            SecureRandom random) {
        this(relay, trunkSecurity, random, BeanRef.to(new RefusalLog(java.time.Duration.ofSeconds(10))));
    }

    /** @param refusals where refused offers are counted: one line per cause and source per interval (issue #17) */
    public SrtpBridgeProcessor(Supplier<MediaRelayService> relay, Function<String, Optional<MediaSecurity>> trunkSecurity,
            SecureRandom random, Supplier<RefusalLog> refusals) {
        this(relay, trunkSecurity, random, refusals, listener -> { });
    }

    /**
     * @param callEnds registers a listener told the Call-ID of every call that ends (the proxy's
     *                 {@code onCallEnd}): a call the proxy ends itself (503 for a next hop unreachable, 408 at timer B)
     *                 sends its final response without passing this step, and its media must go at once, not at
     *                 {@code trunkgate.media.timeout} (issue #17)
     */
    public SrtpBridgeProcessor(Supplier<MediaRelayService> relay, Function<String, Optional<MediaSecurity>> trunkSecurity,
            SecureRandom random, Supplier<RefusalLog> refusals, Consumer<Consumer<String>> callEnds) {
        this.callEnds = callEnds;
        this.refusals = refusals;
        this.relay = relay;
        this.trunkSecurity = trunkSecurity;
        for (MediaSecurity s : MediaSecurity.values()) {
            bridges.put(s, new SrtpBridge(s, random));
        }
    }

    public SrtpBridgeProcessor(MediaRelayService relay, Function<String, Optional<MediaSecurity>> trunkSecurity,
            SecureRandom random) {
        this(BeanRef.to(relay), trunkSecurity, random);
        relay();
    }

    /** The relay, told to report its releases here (calls keep per-call state beside their sessions). */
    private MediaRelayService relay() {
        MediaRelayService r = relay.get();
        if (r != listening) {
            r.onRelease(this::forget);
            listening = r;
        }
        return r;
    }

    /** Calls with media state, for tests and the status view. */
    public int calls() {
        return calls.size();
    }

    /** The media session of a call, if it has one. */
    public Optional<MediaSession> session(String callId) {
        CallMedia call = calls.get(callId);
        return call == null ? Optional.empty() : Optional.ofNullable(call.session);
    }

    /** The trunk of a call this step bridges, if it knows the call. */
    public Optional<String> trunk(String callId) {
        CallMedia call = calls.get(callId);
        return call == null ? Optional.empty() : Optional.of(call.trunkId);
    }

    /**
     * Takes over a call another instance bridged (a failover, issue #18): its media session bound again on the saved
     * ports with the saved answer, latched addresses and SRTP rollover counts; later SDP (a re-INVITE) re-keys it as
     * usual.
     *
     * @throws IOException when its ports cannot be bound here
     * @throws IllegalArgumentException when its trunk is unknown here
     */
    public MediaSession restore(String trunkId, SessionState state) throws IOException {
        MediaSecurity security = trunkSecurity.apply(trunkId).orElseThrow(() -> new IllegalArgumentException(
                "trunk " + trunkId + " is not configured here"));
        CallMedia call = new CallMedia(state.callId(), trunkId, bridges.get(security));
        call.established = true;
        synchronized (call) {
            call.session = relay().relay().restore(state);
            if (calls.putIfAbsent(state.callId(), call) != null) {
                call.session.releaseAsync("restored twice");
                throw new IllegalStateException("call " + state.callId() + " is bridged here already");
            }
        }
        return call.session;
    }

    @Override
    public void process(Exchange exchange) {
        if (!listeningForEnds.get() && listeningForEnds.compareAndSet(false, true)) {
            callEnds.accept(callId -> end(callId, "call ended"));
        }
        Object body = exchange.getIn().getBody();
        if (body instanceof SIPRequest request) {
            onRequest(exchange, request);
        } else if (body instanceof SIPResponse response) {
            onResponse(exchange, response);
        }
    }

    // ---------------------------------------------------------------- requests

    private void onRequest(Exchange exchange, SIPRequest request) {
        String callId = request.getCallId().getCallId();
        String method = request.getMethod();
        if (SIPRequest.BYE.equals(method) || SIPRequest.CANCEL.equals(method)) {
            end(callId, method);
            return;
        }
        MessageBody sdp = MessageBody.of(request);
        CallMedia call = calls.get(callId);
        if (call == null) {
            if (!SIPRequest.INVITE.equals(method) || request.getToTag() != null) {
                if (sdp != null) {
                    LOG.debug("{} {} with SDP for a call without media state: passed unchanged", method, callId);
                }
                return;
            }
            call = newCall(exchange, callId);
            if (call == null) {
                return;
            }
        }
        if (sdp == null) {
            return;
        }
        Side from = Side.of(exchange.getIn());
        long cseq = request.getCSeq().getSeqNumber();
        synchronized (call) {
            Outcome outcome = negotiate(call, from, cseq, method, false, sdp);
            if (outcome.accepted()) {
                MessageBody.replace(request, outcome.body);
                return;
            }
            if (outcome.answer || SIPRequest.ACK.equals(method)) {
                // an ACK cannot be refused and a refused PRACK answer would leave the same dialog: go on without media
                MessageBody.strip(request);
                LOG.warn("call {} on trunk {}: the SDP answer in {} from the {} is refused ({}); {} forwarded without "
                        + "SDP, media session released: the dialog has no media", callId, call.trunkId, method,
                        from.word(), outcome.reason, method);
                release(call, method + " answer refused");
                return;
            }
            if (refusals.get().first(outcome.status + " to an SDP offer", exchange.getIn().getHeader(TrunkgateConstants.SOURCE_ADDRESS))) {
                LOG.warn("call {} on trunk {}: {} to the {} {} ({})", callId, call.trunkId, outcome.status, from.word(), method,
                        outcome.reason);
            }
            SipReplies.reply(exchange, outcome.status, outcome.status == 488 ? "Not Acceptable Here" : "Service Unavailable",
                    outcome.reason);
            if (call.session == null || call.session.plan().isEmpty()) {
                release(call, outcome.status + " to the offer"); // never had media: nothing to keep
            }
        }
    }

    private CallMedia newCall(Exchange exchange, String callId) {
        String trunkId = exchange.getIn().getHeader(TrunkgateConstants.TRUNK, String.class);
        if (trunkId == null) {
            LOG.debug("INVITE {} without TrunkgateTrunk: media not bridged", callId);
            return null;
        }
        Optional<MediaSecurity> security = trunkSecurity.apply(trunkId);
        if (security.isEmpty()) {
            LOG.warn("INVITE {}: trunk {} is unknown to the media step, media not bridged", callId, trunkId);
            return null;
        }
        if (newCalls.incrementAndGet() % PURGE_EVERY == 0) {
            purgeStale();
        }
        CallMedia fresh = new CallMedia(callId, trunkId, bridges.get(security.get()));
        CallMedia existing = calls.putIfAbsent(callId, fresh);
        return existing != null ? existing : fresh;
    }

    // ---------------------------------------------------------------- responses

    private void onResponse(Exchange exchange, SIPResponse response) {
        String callId = response.getCallId().getCallId();
        CallMedia call = calls.get(callId);
        if (call == null) {
            return;
        }
        int status = response.getStatusCode();
        String method = response.getCSeq().getMethod();
        boolean invite = SIPRequest.INVITE.equals(method);
        Side from = Side.of(exchange.getIn());
        synchronized (call) {
            if (status >= 300) {
                if (invite && !call.established) {
                    release(call, status + " to the INVITE");
                } else if (call.session != null && call.session.pendingOffer().map(p -> p.from() != from).orElse(false)) {
                    call.session.withdrawOffer(); // a refused re-offer: the previous keys and addresses stay
                }
                return;
            }
            MessageBody sdp = MessageBody.of(response);
            if (sdp != null && status > 100 && (invite || "UPDATE".equals(method) || "PRACK".equals(method))) {
                Outcome outcome = negotiate(call, from, response.getCSeq().getSeqNumber(), method, true, sdp);
                if (outcome.accepted()) {
                    MessageBody.replace(response, outcome.body);
                } else if (status < 200) {
                    MessageBody.strip(response);
                    LOG.warn("call {} on trunk {}: the SDP in a {} from the {} is refused ({}); forwarded without SDP",
                            callId, call.trunkId, status, from.word(), outcome.reason);
                } else {
                    refuseSuccess(exchange, call, response, outcome.reason);
                    return;
                }
            }
            if (invite && status >= 200) {
                call.established = true;
                if (call.session == null) {
                    calls.remove(callId, call); // a call without SDP at all: nothing to bridge
                }
            }
        }
    }

    /**
     * A 2xx with SDP we refuse (SRTP-1/SRTP-2): it becomes a 488 with the cause toward the offerer, and the proxy is
     * asked to hang up the answerer, which believes the call is up ({@link MediaRefusal}).
     */
    private void refuseSuccess(Exchange exchange, CallMedia call, SIPResponse response, String reason) {
        exchange.setProperty(TrunkgateConstants.MEDIA_REFUSED, new MediaRefusal((SIPResponse) response.clone(), reason));
        int status = response.getStatusCode();
        into488(response, reason);
        release(call, status + " with refused SDP");
    }

    /** The 2xx, in place, becomes 488 Not Acceptable Here toward the offerer, with the cause in a Warning. */
    private static void into488(SIPResponse response, String warning) {
        try {
            response.setStatusCode(SdpResult.Rejected.NOT_ACCEPTABLE_HERE);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
        response.setReasonPhrase("Not Acceptable Here");
        response.removeHeader(Contact.NAME);
        response.removeHeader(RecordRoute.NAME);
        response.removeContent();
        response.removeHeader(ContentType.NAME);
        response.setContentLength(new gov.nist.javax.sip.header.ContentLength(0));
        SipReplies.warn(response, warning);
    }

    // ---------------------------------------------------------------- offer/answer

    /** What one SDP became: the new body, or why not (with the status for a request). */
    private record Outcome(byte[] body, boolean answer, int status, String reason) {
        boolean accepted() {
            return body != null;
        }

        static Outcome refused(boolean answer, int status, String reason) {
            return new Outcome(null, answer, status, reason);
        }
    }

    private Outcome negotiate(CallMedia call, Side from, long cseq, String method, boolean response, MessageBody sdp) {
        CallMedia.RewriteKey key = CallMedia.key(from, cseq, method, sdp.bytes());
        byte[] again = call.rewritten(key);
        if (again != null) {
            return new Outcome(again, false, 0, null); // the same SDP again (18x then 2xx, a retransmission)
        }
        // the session (four media ports) is opened only for an offer found usable: a broken SDP costs nothing (#17)
        Supplier<MediaSession> opened = () -> {
            if (!call.live()) {
                try {
                    call.session = relay().relay().open(call.callId);
                } catch (IOException | IllegalStateException e) {
                    throw new NoMediaPort(e.getMessage());
                }
            }
            return call.session;
        };
        PendingOffer pending = call.live() ? call.session.pendingOffer().orElse(null) : null;
        SdpResult result;
        boolean answer;
        try {
            if (pending != null && pending.from() != from) {
                answer = true;
                result = call.bridge.answer(call.session, from, sdp.contentType(), sdp.bytes());
            } else if (response && call.lastOffer != null && call.lastOfferCseq == cseq && method.equals(call.lastOfferMethod)
                    && call.lastOffer.from() != from) {
                answer = true; // a second, different answer to the same offer (18x then 2xx): applied as a re-answer
                MediaSession session = opened.get();
                session.offered(call.lastOffer);
                result = call.bridge.answer(session, from, sdp.contentType(), sdp.bytes());
            } else if (!response && SIPRequest.ACK.equals(method)) {
                return Outcome.refused(true, 0, "an ACK carries an answer, and no offer of the other side is pending");
            } else {
                answer = false;
                result = call.bridge.offer(opened, from, sdp.contentType(), sdp.bytes());
                if (result instanceof SdpResult.Offered offered) {
                    call.offered(offered.pending(), cseq, method);
                }
            }
        } catch (NoMediaPort e) {
            return Outcome.refused(false, 503, "no media port free for this call: " + e.getMessage());
        } catch (IllegalStateException e) {
            return Outcome.refused(false, 503, "the media session ended meanwhile: " + e.getMessage()); // released by the timeout
        } catch (RuntimeException e) {
            // whatever JAIN-SIP's SDP classes throw on a body no check foresaw: a refusal, never an escaped exception
            return Outcome.refused(false, SdpResult.Rejected.NOT_ACCEPTABLE_HERE, "unusable SDP: " + e);
        }
        byte[] out;
        if (result instanceof SdpResult.Offered offered) {
            out = offered.body();
        } else if (result instanceof SdpResult.Answered answered) {
            out = answered.body();
        } else {
            SdpResult.Rejected rejected = (SdpResult.Rejected) result;
            return Outcome.refused(answer, rejected.status(), rejected.reason());
        }
        call.remember(key, out);
        return new Outcome(out, answer, 0, null);
    }

    // ---------------------------------------------------------------- lifetime

    private void end(String callId, String why) {
        CallMedia call = calls.remove(callId);
        if (call != null) {
            synchronized (call) {
                release(call, why);
            }
        }
    }

    private void release(CallMedia call, String why) {
        calls.remove(call.callId, call);
        if (call.session != null) {
            call.session.releaseAsync(why); // the SIP route thread does not wait for the sockets to close
        }
    }

    /** The relay released a session (BYE, error, or its timeout): its call state goes too. */
    private void forget(MediaSession session) {
        calls.computeIfPresent(session.id(), (id, call) -> call.session == session ? null : call);
    }

    /** No media port pair could be had for a new session. */
    private static final class NoMediaPort extends RuntimeException {
        NoMediaPort(String message) {
            super(message, null, false, false);
        }
    }

    private void purgeStale() {
        long limit = relay().settings().timeout().toNanos();
        long now = System.nanoTime();
        calls.values().removeIf(c -> c.session == null && now - c.createdNanos > limit);
    }


}
