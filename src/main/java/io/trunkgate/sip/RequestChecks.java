package io.trunkgate.sip;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.sip.address.SipURI;
import javax.sip.header.ProxyRequireHeader;
import javax.sip.header.RequireHeader;

import gov.nist.javax.sip.header.Allow;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.Unsupported;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;

/**
 * What a request must pass before the gateway routes it or answers it itself, in the order of RFC 3261 16.3 and
 * 8.2.2 (the SIP version is sipParse's: 505), shared by {@code sipCheck} (requests routed) and {@code sipOptions}
 * (an OPTIONS addressed to the gateway):
 * <ol>
 * <li>a Request-URI scheme we do not serve: 416 (16.3 step 2, 8.2.2.1, RFC 4475 3.3.2, 3.3.3); a SIP URI carrying
 * headers: 400 (they are not allowed in a Request-URI, 19.1.1; RFC 4475 3.1.2.11);</li>
 * <li>Proxy-Require, and for a request answered here Require, naming an extension we do not support: 420 with
 * Unsupported listing them (16.3 step 5, 8.2.2.3, RFC 4475 3.3.5);</li>
 * <li>a request out of any dialog whose method the trunk does not carry: 405 for a method SIP defines, 501 for an
 * extension method, with Allow (21.4.6, 21.5.2, RFC 4475 3.1.1.2). In a dialog every method is forwarded (16.6);</li>
 * <li>a CSeq method other than the request's: 400 (8.1.1.5, RFC 4475 3.1.2.17).</li>
 * </ol>
 */
public final class RequestChecks {

    /** The methods the gateway routes out of a dialog: its Allow header. */
    public static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, PRACK";
    private static final Set<String> ALLOWED = Set.of(ALLOW.split(", "));
    /** Methods SIP defines (RFC 3261 and its extensions) that the gateway does not route: 405, not 501. */
    private static final Set<String> KNOWN = Set.of("REGISTER", "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH");
    private static final Set<String> SCHEMES = Set.of("sip", "sips", "tel");
    /** Option tags a request answered here may require: what sipOptions advertises in Supported. */
    public static final List<String> SUPPORTED = List.of("replaces", "timer");

    private RequestChecks() {
    }

    /**
     * Why a request is refused: {@code kind} without variable parts for the refusal log, {@code warning} for the
     * response's Warning, {@code headers} to add (Unsupported, Allow).
     */
    public record Refusal(int status, String reason, String kind, String warning, List<SIPHeader> headers) {

        /** The response to {@code request}. */
        public SIPResponse response(SIPRequest request) {
            SIPResponse response = SipReplies.response(request, status, reason);
            headers.forEach(response::addHeader);
            SipReplies.warn(response, warning);
            return response;
        }
    }

    /**
     * The first check {@code request} fails, or null.
     *
     * @param answeredHere the gateway answers it as a UAS (an OPTIONS addressed to it): Require counts too, and
     *                     the method is not checked
     */
    public static Refusal check(SIPRequest request, boolean answeredHere) {
        String method = request.getMethod();
        String scheme = request.getRequestURI().getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            return new Refusal(416, "Unsupported URI Scheme", "416 Request-URI scheme",
                    "the Request-URI scheme '" + scheme + "' is not served here: sip, sips or tel (RFC 3261 8.2.2.1, 16.3)",
                    List.of());
        }
        if (request.getRequestURI() instanceof SipURI sip && sip.getHeaderNames() != null && sip.getHeaderNames().hasNext()) {
            return new Refusal(400, "Bad Request", "400 Request-URI with headers",
                    "a Request-URI may not carry headers (RFC 3261 19.1.1)", List.of());
        }
        List<String> unsupported = optionTags(request, ProxyRequireHeader.NAME, List.of());
        if (answeredHere) {
            unsupported.addAll(optionTags(request, RequireHeader.NAME, SUPPORTED));
        }
        if (!unsupported.isEmpty()) {
            List<SIPHeader> headers = new ArrayList<>();
            for (String tag : unsupported) {
                headers.add(new Unsupported(tag));
            }
            return new Refusal(420, "Bad Extension", answeredHere ? "420 Require" : "420 Proxy-Require",
                    "extensions not supported here: " + String.join(", ", unsupported)
                            + (answeredHere ? " (RFC 3261 8.2.2.3)" : " (RFC 3261 16.3 step 5)"), headers);
        }
        if (!answeredHere && request.getToTag() == null && !ALLOWED.contains(method)) {
            boolean known = KNOWN.contains(method);
            return new Refusal(known ? 405 : 501, known ? "Method Not Allowed" : "Not Implemented",
                    known ? "405 method " + method : "501 extension method",
                    method + " is not carried by this gateway outside a dialog; it routes " + ALLOW
                            + (known ? " (RFC 3261 21.4.6)" : " (RFC 3261 21.5.2)"), List.of(allow()));
        }
        String cseqMethod = request.getCSeq().getMethod();
        if (!method.equals(cseqMethod)) {
            return new Refusal(400, "Bad Request", "400 CSeq method mismatch",
                    "the CSeq method " + cseqMethod + " is not the request's " + method + " (RFC 3261 8.1.1.5)", List.of());
        }
        return null;
    }

    /** Allow with the methods the gateway routes (RFC 3261 20.5). */
    public static Allow allow() {
        Allow allow = new Allow();
        try {
            allow.setMethod(ALLOW);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        return allow;
    }

    /** The option tags of every {@code header} of the request that {@code supported} does not hold. */
    private static List<String> optionTags(SIPRequest request, String header, List<String> supported) {
        List<String> tags = new ArrayList<>();
        for (Iterator<?> it = request.getHeaders(header); it.hasNext(); ) {
            Object h = it.next();
            String tag = h instanceof javax.sip.header.OptionTag o ? o.getOptionTag() : null;
            if (tag != null && !tag.isBlank() && !supported.contains(tag.toLowerCase(Locale.ROOT)) && !tags.contains(tag)) {
                tags.add(tag.trim());
            }
        }
        return tags;
    }
}
