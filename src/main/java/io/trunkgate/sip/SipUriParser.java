package io.trunkgate.sip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import gov.nist.javax.sip.address.TelURLImpl;
import gov.nist.javax.sip.parser.URLParser;
import javax.sip.address.SipURI;
import javax.sip.address.TelURL;
import javax.sip.address.URI;

/**
 * Request-URI -> {@link SipUriParts}. JAIN-SIP leaves RFC 4904's user-part parameters inside
 * {@code SipURI.getUser()} ({@code +15551234567;tgrp=TG1;trunk-context=example.com}), so they are split here.
 */
public final class SipUriParser {

    static final String TGRP = "tgrp";
    static final String TRUNK_CONTEXT = "trunk-context";
    static final String TRANSPORT = "transport";

    private SipUriParser() {
    }

    /** Parses a URI string, e.g. a command-line argument. */
    public static SipUriParts parse(String uri) throws ParseException {
        URI parsed;
        try {
            parsed = LibraryOutput.quietly(() -> new URLParser(uri.trim()).parse());
        } catch (ParseException e) {
            throw new ParseException("not a SIP URI (URI-1): " + uri + ": " + e.getMessage(), e.getErrorOffset());
        }
        return parts(parsed);
    }

    /** The parts of an already parsed URI (a request's Request-URI). */
    public static SipUriParts parts(URI uri) throws ParseException {
        if (uri instanceof SipURI sip) {
            return sipParts(sip);
        }
        if (uri instanceof TelURL tel) {
            return telParts(tel);
        }
        throw new ParseException("unsupported URI scheme '" + uri.getScheme() + "': expected sip, sips or tel (URI-1)", 0);
    }

    private static SipUriParts sipParts(SipURI uri) throws ParseException {
        List<String> warnings = new ArrayList<>(0);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String rawUser = uri.getUser();
        String user = null;
        Map<String, String> userParams = Map.of();
        if (rawUser != null) {
            int semi = rawUser.indexOf(';');
            user = unescape(semi < 0 ? rawUser : rawUser.substring(0, semi));
            if (semi >= 0) {
                userParams = userParams(rawUser.substring(semi + 1), warnings);
            }
            if (user.isEmpty()) {
                user = null;
            }
        }
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null || host.isEmpty()) {
            throw new ParseException("the URI has no host (URI-1)", 0);
        }
        String transport = uri.getTransportParam() == null ? null : uri.getTransportParam().toLowerCase(Locale.ROOT);
        // URI-2: parameters only count in their own part; say so instead of silently ignoring them
        for (Iterator<?> it = uri.getParameterNames(); it.hasNext(); ) {
            String name = ((String) it.next()).toLowerCase(Locale.ROOT);
            if (name.equals(TGRP) || name.equals(TRUNK_CONTEXT)) {
                warnings.add(name + " is a user-part parameter but was given in the host part: not honoured (URI-2, "
                        + (name.equals(TGRP) ? "URI-4" : "URI-5") + ")");
            }
        }
        if (userParams.containsKey(TRANSPORT)) {
            warnings.add("transport is a host-part parameter but was given in the user part: not honoured (URI-2, URI-3)");
        }
        if (transport != null && !transport.equals("udp") && !transport.equals("tcp") && !transport.equals("tls")) {
            warnings.add("transport=" + transport + " is not one of udp, tcp, tls (URI-3)");
        }
        if (scheme.equals("sips")) {
            if (transport == null) {
                transport = "tls";
            } else if (transport.equals("udp")) {
                warnings.add("sips: with transport=udp cannot be secured: TLS is used (URI-3)");
                transport = "tls";
            }
        }
        return build(scheme, user, userParams, host, uri.getPort(), transport, warnings);
    }

    private static SipUriParts telParts(TelURL tel) {
        List<String> warnings = new ArrayList<>(0);
        Map<String, String> params = new LinkedHashMap<>();
        for (Iterator<?> it = tel.getParameterNames(); it.hasNext(); ) {
            String name = ((String) it.next()).toLowerCase(Locale.ROOT);
            String value = tel.getParameter(name);
            params.put(name, value == null ? "" : unescape(value));
        }
        if (tel instanceof TelURLImpl impl && impl.getPostDial() != null) {
            params.put("postd", impl.getPostDial());
        }
        String user = (tel.isGlobal() ? "+" : "") + tel.getPhoneNumber();
        return build("tel", user, params, null, -1, null, warnings);
    }

    private static SipUriParts build(String scheme, String user, Map<String, String> userParams, String host, int port,
                                     String transport, List<String> warnings) {
        String tgrp = userParams.get(TGRP);
        String context = userParams.get(TRUNK_CONTEXT);
        if (tgrp != null && tgrp.isEmpty()) {
            warnings.add("tgrp has no value (URI-4)");
            tgrp = null;
        }
        if (context != null && context.isEmpty()) {
            warnings.add("trunk-context has no value (URI-5)");
            context = null;
        }
        if (tgrp != null && context == null) {
            // RFC 4904 section 5: a tgrp is only meaningful inside its trunk-context
            warnings.add("tgrp=" + tgrp + " without trunk-context (URI-5, RFC 4904)");
        }
        if (tgrp != null && user == null) {
            warnings.add("tgrp=" + tgrp + " without a number in the user part (URI-4)");
        }
        String number = user == null ? null : number(user);
        return new SipUriParts(scheme, user, number, tgrp, context == null ? null : context.toLowerCase(Locale.ROOT),
                userParams, host, port, transport, warnings);
    }

    private static Map<String, String> userParams(String text, List<String> warnings) {
        Map<String, String> params = new LinkedHashMap<>(4);
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf(';', start);
            if (end < 0) {
                end = text.length();
            }
            String param = text.substring(start, end);
            if (!param.isEmpty()) {
                int eq = param.indexOf('=');
                String name = unescape(eq < 0 ? param : param.substring(0, eq)).toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : unescape(param.substring(eq + 1));
                if (params.putIfAbsent(name, value) != null) {
                    warnings.add(name + " is given twice in the user part: the first one counts (URI-2)");
                }
            }
            start = end + 1;
        }
        return params;
    }

    /**
     * The user as a dialled number: a telephone-like user (an optional +, digits and RFC 3966 visual separators)
     * loses its separators, so +1-317-555-0100 and +1 (317) 555.0100 match the same DNIS pattern (ROUTE-2).
     */
    public static String number(String user) {
        int digits = 0;
        StringBuilder out = new StringBuilder(user.length());
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                out.append(c);
            } else if (c == '+' && i == 0) {
                out.append(c);
            } else if (c != '-' && c != '.' && c != '(' && c != ')' && c != ' ') {
                return user;
            }
        }
        return digits == 0 ? user : out.toString();
    }

    /** %HH escapes (RFC 3261 25.1) to text; a broken escape is kept as written. */
    public static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean plain(String s, boolean paramValue) {
        for (int i = 0; i < s.length(); i++) {
            if (!plain(s.charAt(i), paramValue)) {
                return false;
            }
        }
        return true;
    }

    private static boolean plain(char c, boolean paramValue) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-_.!~*'()".indexOf(c) >= 0 || (paramValue ? "&+$,/" : "&=+$,;?/").indexOf(c) >= 0;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        c = Character.toLowerCase(c);
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    /** A host written as an IPv4 address or a bracketed IPv6 reference (RFC 3261 25.1). */
    public static boolean isIpLiteral(String host) {
        if (host.startsWith("[") || host.indexOf(':') >= 0) {
            return true;
        }
        int dots = 0;
        int run = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.') {
                if (run == 0) {
                    return false;
                }
                dots++;
                run = 0;
            } else if (c >= '0' && c <= '9' && run < 3) {
                run++;
            } else {
                return false;
            }
        }
        return dots == 3 && run > 0;
    }

    /**
     * Escapes a user-part value for a URI we write (RFC 3261 25.1: unreserved and user-unreserved pass, the rest
     * becomes %HH). Parameter values also escape ; = and ? so they cannot break the user part's structure.
     */
    public static String escapeUser(String s, boolean paramValue) {
        if (plain(s, paramValue)) {
            return s; // the usual case (+13175550100, acme-tg1): no copy
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (plain(c, paramValue)) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
