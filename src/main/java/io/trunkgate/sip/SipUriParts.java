package io.trunkgate.sip;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a Request-URI that routing uses (URI-1..URI-5), unescaped.
 *
 * @param scheme       sip, sips or tel
 * @param user         the user part without its parameters, unescaped; null when the URI has none
 * @param number       the user as a number: visual separators ({@code - . ( )}, RFC 3966) removed when the user is
 *                     telephone-like, else the user itself; null without a user part
 * @param tgrp         the user-part {@code tgrp} (URI-4, RFC 4904); null when absent or in the wrong part
 * @param trunkContext the user-part {@code trunk-context} (URI-5, RFC 4904); null when absent or in the wrong part
 * @param userParams   every user-part parameter in URI order, unescaped (a flag parameter maps to "")
 * @param host         the host as written (lower case; an IPv6 reference keeps its brackets); null for tel:
 * @param port         the port, or -1 when the URI has none
 * @param transport    the host-part {@code transport} in lower case (URI-3); "tls" for sips: without one; null when
 *                     unspecified
 * @param warnings     what is wrong with the URI, each naming its requirement ID (e.g. a tgrp in the host part, URI-2)
 */
public record SipUriParts(String scheme, String user, String number, String tgrp, String trunkContext,
                          Map<String, String> userParams, String host, int port, String transport,
                          List<String> warnings) {

    public SipUriParts {
        // keeps the URI's order; SipUriParser hands over a fresh LinkedHashMap, which is wrapped, not copied
        userParams = Collections.unmodifiableMap(userParams instanceof LinkedHashMap<String, String> own
                ? own : new LinkedHashMap<>(userParams));
        warnings = List.copyOf(warnings);
    }

    /** sips: (or transport=tls) asks for TLS on every hop (URI-3). */
    public boolean secure() {
        return "sips".equals(scheme) || "tls".equals(transport);
    }

    /** The host is an IP literal (IPv4 or a bracketed IPv6 reference), not a DNS name (CERT-6). */
    public boolean hostIsAddress() {
        return host != null && SipUriParser.isIpLiteral(host);
    }
}
