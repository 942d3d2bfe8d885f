package io.trunkgate.sip;

import java.text.ParseException;

import gov.nist.core.Host;
import gov.nist.core.HostPort;
import gov.nist.core.NameValue;
import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.AddressParametersHeader;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.ContactList;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.ContentType;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.Protocol;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.SIPHeaderList;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.message.SIPRequest;

/**
 * The start line and the headers every SIP message carries (Via, From, To, Call-ID, CSeq, Contact, Route,
 * Record-Route, Max-Forwards, Content-Type, Content-Length), built straight into the same JAIN-SIP objects its
 * parsers make when the line is in its plain form: token characters, a sip/sips URI (in angle brackets in a
 * header), no quoting, escaping, IPv6 or comments.
 * JAIN-SIP runs a general lexer per header (about 1 us and a few KB of garbage each, the largest share of the
 * gateway's CPU and allocation per call); here a plain line costs a scan. Anything else returns null and goes to
 * JAIN-SIP's own parser, which also gives the errors: {@code PlainLinesTest} holds both to the same result.
 */
final class PlainLines {

    private PlainLines() {
    }

    /**
     * The header of one unfolded line ("Name: value"), or null when it is not one of ours in plain form.
     */
    static SIPHeader parse(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        int nameEnd = colon;
        while (nameEnd > 0 && isBlank(line.charAt(nameEnd - 1))) {
            nameEnd--;
        }
        int start = colon + 1;
        while (start < line.length() && isBlank(line.charAt(start))) {
            start++;
        }
        int end = line.length();
        while (end > start && isBlank(line.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return null;
        }
        try {
            return switch (kind(line, nameEnd)) {
                case VIA -> list(new ViaList(), line, start, end, PlainLines::via);
                case FROM -> nameAddr(new From(), line, start, end);
                case TO -> nameAddr(new To(), line, start, end);
                case CONTACT -> line.charAt(start) == '*' ? null
                        : list(new ContactList(), line, start, end, (l, s, e) -> nameAddr(new Contact(), l, s, e));
                case ROUTE -> list(new RouteList(), line, start, end, (l, s, e) -> nameAddr(new Route(), l, s, e));
                case RECORD_ROUTE -> list(new RecordRouteList(), line, start, end, (l, s, e) -> nameAddr(new RecordRoute(), l, s, e));
                case CALL_ID -> callId(line, start, end);
                case CSEQ -> cseq(line, start, end);
                case MAX_FORWARDS -> maxForwards(line, start, end);
                case CONTENT_LENGTH -> contentLength(line, start, end);
                case CONTENT_TYPE -> contentType(line, start, end);
                case OTHER -> null;
            };
        } catch (ParseException | javax.sip.InvalidArgumentException | IllegalArgumentException e) {
            return null; // JAIN-SIP's parser decides, and words the error
        }
    }

    /** "METHOD sip:uri SIP/2.0", or null. */
    static RequestLine requestLine(String line) {
        int sp1 = line.indexOf(' ');
        int sp2 = line.lastIndexOf(' ');
        if (sp1 <= 0 || sp2 <= sp1 + 1 || !line.endsWith(" SIP/2.0") || sp2 != line.length() - 8
                || scan(line, 0, sp1, PlainLines::isAlpha) != sp1) {
            return null;
        }
        try {
            SipUri uri = sipUri(line, sp1 + 1, sp2);
            if (uri == null) {
                return null;
            }
            RequestLine requestLine = new RequestLine();
            requestLine.setMethod(line.substring(0, sp1));
            requestLine.setUri(uri);
            requestLine.setSipVersion("SIP/2.0");
            return requestLine;
        } catch (ParseException | IllegalArgumentException e) {
            return null;
        }
    }

    /** "SIP/2.0 NNN reason", or null. */
    static StatusLine statusLine(String line) {
        if (line.length() < 12 || !line.startsWith("SIP/2.0 ") || line.charAt(11) != ' '
                || scan(line, 8, 11, PlainLines::isDigit) != 11 || line.charAt(8) == '0') {
            return null;
        }
        for (int i = 12; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return null; // UTF-8 reason phrases, tabs: JAIN-SIP's reason-phrase rules
            }
        }
        StatusLine statusLine = new StatusLine();
        statusLine.setSipVersion("SIP/2.0");
        statusLine.setStatusCode(Integer.parseInt(line, 8, 11, 10));
        statusLine.setReasonPhrase(line.substring(12));
        return statusLine;
    }

    private enum Kind { VIA, FROM, TO, CONTACT, ROUTE, RECORD_ROUTE, CALL_ID, CSEQ, MAX_FORWARDS, CONTENT_LENGTH, CONTENT_TYPE, OTHER }

    private interface Element {
        SIPHeader parse(String line, int start, int end) throws ParseException;
    }

    /**
     * A header that may carry several values: split at commas (none can occur inside a plain value: quoted
     * names, escapes and URI headers are not plain), each value parsed on its own.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static SIPHeader list(SIPHeaderList list, String line, int start, int end, Element element) throws ParseException {
        int from = start;
        while (true) {
            int comma = line.indexOf(',', from);
            int valueEnd = comma < 0 || comma >= end ? end : comma;
            int e = valueEnd;
            while (e > from && isBlank(line.charAt(e - 1))) {
                e--;
            }
            if (e == from) {
                return null;
            }
            SIPHeader value = element.parse(line, from, e);
            if (value == null) {
                return null;
            }
            list.add(value);
            if (valueEnd == end) {
                return list;
            }
            from = valueEnd + 1;
            while (from < end && isBlank(line.charAt(from))) {
                from++;
            }
        }
    }

    private static final Kind[] KINDS = Kind.values(); // values() copies the array on every call

    private static Kind kind(String line, int nameEnd) {
        if (nameEnd == 1) {
            return switch (Character.toLowerCase(line.charAt(0))) {
                case 'v' -> Kind.VIA;
                case 'f' -> Kind.FROM;
                case 't' -> Kind.TO;
                case 'm' -> Kind.CONTACT;
                case 'i' -> Kind.CALL_ID;
                case 'l' -> Kind.CONTENT_LENGTH;
                case 'c' -> Kind.CONTENT_TYPE;
                default -> Kind.OTHER;
            };
        }
        for (Kind k : KINDS) {
            String name = nameOf(k);
            if (name != null && name.length() == nameEnd && line.regionMatches(true, 0, name, 0, nameEnd)) {
                return k;
            }
        }
        return Kind.OTHER;
    }

    private static String nameOf(Kind k) {
        return switch (k) {
            case VIA -> "Via";
            case FROM -> "From";
            case TO -> "To";
            case CONTACT -> "Contact";
            case ROUTE -> "Route";
            case RECORD_ROUTE -> "Record-Route";
            case CALL_ID -> "Call-ID";
            case CSEQ -> "CSeq";
            case MAX_FORWARDS -> "Max-Forwards";
            case CONTENT_LENGTH -> "Content-Length";
            case CONTENT_TYPE -> "Content-Type";
            case OTHER -> null;
        };
    }

    // ---------------------------------------------------------------- simple values

    private static SIPHeader callId(String line, int start, int end) throws ParseException {
        CallID c = new CallID();
        c.setCallId(line.substring(start, end));
        return c;
    }

    private static SIPHeader cseq(String line, int start, int end) throws ParseException, javax.sip.InvalidArgumentException {
        int digits = scan(line, start, end, PlainLines::isDigit);
        if (digits == start || digits - start > 10 || digits == end || !isBlank(line.charAt(digits))) {
            return null;
        }
        int method = digits;
        while (isBlank(line.charAt(method))) {
            method++;
        }
        if (scan(line, method, end, PlainLines::isAlpha) != end) {
            return null;
        }
        CSeq c = new CSeq();
        c.setSeqNumber(Long.parseLong(line, start, digits, 10));
        c.setMethod(SIPRequest.getCannonicalName(line.substring(method, end)));
        return c;
    }

    private static SIPHeader maxForwards(String line, int start, int end) throws javax.sip.InvalidArgumentException {
        int value = digits(line, start, end, 3);
        if (value < 0) {
            return null;
        }
        MaxForwards m = new MaxForwards();
        m.setMaxForwards(value);
        return m;
    }

    private static SIPHeader contentLength(String line, int start, int end) throws javax.sip.InvalidArgumentException {
        int value = digits(line, start, end, 9);
        if (value < 0) {
            return null;
        }
        ContentLength l = new ContentLength();
        l.setContentLength(value);
        return l;
    }

    /** The value when start..end is 1 to maxDigits decimal digits, else -1. */
    private static int digits(String line, int start, int end, int maxDigits) {
        if (end - start > maxDigits || scan(line, start, end, PlainLines::isDigit) != end) {
            return -1;
        }
        return Integer.parseInt(line, start, end, 10);
    }

    private static SIPHeader contentType(String line, int start, int end) {
        int slash = scan(line, start, end, PlainLines::isToken);
        if (slash == start || slash == end || line.charAt(slash) != '/'
                || scan(line, slash + 1, end, PlainLines::isToken) != end || slash + 1 == end) {
            return null; // parameters (charset, boundary) go to JAIN-SIP
        }
        ContentType c = new ContentType();
        c.setContentType(line.substring(start, slash), line.substring(slash + 1, end));
        return c;
    }

    // ---------------------------------------------------------------- Via

    private static SIPHeader via(String line, int start, int end) throws ParseException {
        // SIP/2.0/TRANSPORT SP host[:port] *(;name[=value])
        if (!line.regionMatches(start, "SIP/2.0/", 0, 8)) {
            return null;
        }
        int transportEnd = scan(line, start + 8, end, PlainLines::isToken);
        if (transportEnd == start + 8 || transportEnd == end || line.charAt(transportEnd) != ' ') {
            return null;
        }
        int host = transportEnd + 1;
        int[] at = {host};
        HostPort sentBy = hostPort(line, at, end);
        if (sentBy == null) {
            return null;
        }
        Protocol protocol = new Protocol();
        protocol.setProtocolName("SIP");
        protocol.setProtocolVersion("2.0");
        protocol.setTransport(line.substring(start + 8, transportEnd));
        Via via = new Via();
        via.setSentProtocol(protocol);
        via.setSentBy(sentBy);
        boolean plain = params(line, at[0], end, PlainLines::isToken, (name, value) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT); // as JAIN-SIP's ViaParser
            if (value == null && lower.equals("branch")) {
                return false; // a branch without a value is an error: JAIN-SIP says so
            }
            via.setParameter(new NameValue(lower, value));
            return true;
        });
        return plain ? via : null;
    }

    // ---------------------------------------------------------------- addresses

    /** [display-name] &lt;sip:user@host:port;uri-params&gt; *(;name[=value]) */
    private static SIPHeader nameAddr(AddressParametersHeader header, String line, int start, int end) throws ParseException {
        int lt = line.indexOf('<', start);
        if (lt < 0 || lt >= end) {
            return null;
        }
        String display = null;
        if (lt > start) {
            int nameEnd = lt;
            while (nameEnd > start && isBlank(line.charAt(nameEnd - 1))) {
                nameEnd--;
            }
            for (int i = start; i < nameEnd; i++) {
                char c = line.charAt(i);
                if (!isToken(c) && c != ' ') {
                    return null; // quoted names go to JAIN-SIP
                }
            }
            display = line.substring(start, nameEnd);
        }
        int gt = line.indexOf('>', lt);
        if (gt < 0 || gt >= end) {
            return null;
        }
        SipUri uri = sipUri(line, lt + 1, gt);
        if (uri == null) {
            return null;
        }
        AddressImpl address = new AddressImpl();
        address.setAddressType(AddressImpl.NAME_ADDR);
        if (display != null) {
            address.setDisplayName(display);
        }
        address.setURI(uri);
        header.setAddress(address);
        boolean plain = params(line, gt + 1, end, PlainLines::isToken, (name, value) -> {
            if (header instanceof Contact && name.equalsIgnoreCase("q")) {
                return false; // Contact checks its q value itself
            }
            header.setParameter(value == null ? new NameValue(name, "", true) : new NameValue(name, value));
            return true;
        });
        return plain ? header : null;
    }

    /** sip:[user@]host[:port]*(;name[=value]) between start and end, or null. */
    private static SipUri sipUri(String line, int start, int end) throws ParseException {
        String scheme;
        int i;
        if (line.regionMatches(true, start, "sip:", 0, 4)) {
            scheme = "sip";
            i = start + 4;
        } else if (line.regionMatches(true, start, "sips:", 0, 5)) {
            scheme = "sips";
            i = start + 5;
        } else {
            return null;
        }
        SipUri uri = new SipUri();
        uri.setScheme(scheme);
        int at = line.indexOf('@', i);
        if (at >= 0 && at < end) {
            if (at == i || scan(line, i, at, PlainLines::isUserChar) != at) {
                return null;
            }
            uri.setUser(line.substring(i, at));
            i = at + 1;
        }
        int[] pos = {i};
        HostPort hostPort = hostPort(line, pos, end);
        if (hostPort == null) {
            return null;
        }
        uri.setHostPort(hostPort);
        boolean plain = params(line, pos[0], end, PlainLines::isUriParamChar, (name, value) -> {
            uri.setUriParameter(value == null ? new NameValue(name, "", true) : new NameValue(name, value, false));
            return true;
        });
        return plain ? uri : null; // anything else (URI headers after '?', blanks) goes to JAIN-SIP
    }

    private interface Param {
        /** A parameter; value null for a flag. False: not plain, JAIN-SIP decides. */
        boolean take(String name, String value) throws ParseException;
    }

    /**
     * *(;name[=value]) from {@code from} to {@code end}, names and values of {@code chars}: each handed to
     * {@code sink}. False when the rest is not plain (blanks, quoting, an empty name or value, a refusal).
     */
    private static boolean params(String line, int from, int end, CharClass chars, Param sink) throws ParseException {
        int i = from;
        while (i < end) {
            if (line.charAt(i) != ';') {
                return false;
            }
            int nameEnd = scan(line, i + 1, end, chars);
            if (nameEnd == i + 1) {
                return false;
            }
            String name = line.substring(i + 1, nameEnd);
            String value = null;
            i = nameEnd;
            if (nameEnd < end && line.charAt(nameEnd) == '=') {
                int valueEnd = scan(line, nameEnd + 1, end, chars);
                if (valueEnd == nameEnd + 1) {
                    return false;
                }
                value = line.substring(nameEnd + 1, valueEnd);
                i = valueEnd;
            }
            if (!sink.take(name, value)) {
                return false;
            }
        }
        return true;
    }

    /** host[:port] from pos[0]: a host name or IPv4 address (IPv6 goes to JAIN-SIP); pos[0] moves past it. */
    private static HostPort hostPort(String line, int[] pos, int end) {
        int i = pos[0];
        int hostEnd = scan(line, i, end, PlainLines::isHostChar);
        if (hostEnd == i || !isAlnum(line.charAt(i)) || line.charAt(hostEnd - 1) == '-') {
            return null;
        }
        HostPort hp = new HostPort();
        hp.setHost(new Host(line.substring(i, hostEnd)));
        i = hostEnd;
        if (i < end && line.charAt(i) == ':') {
            int portEnd = scan(line, i + 1, end, PlainLines::isDigit);
            if (portEnd == i + 1 || portEnd - i - 1 > 5) {
                return null;
            }
            int port = Integer.parseInt(line, i + 1, portEnd, 10);
            if (port > 65535) {
                return null;
            }
            hp.setPort(port);
            i = portEnd;
        }
        pos[0] = i;
        return hp;
    }

    // ---------------------------------------------------------------- characters

    private interface CharClass {
        boolean test(char c);
    }

    private static int scan(String s, int from, int end, CharClass accept) {
        int i = from;
        while (i < end && accept.test(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAlnum(char c) {
        return isAlpha(c) || isDigit(c);
    }

    /** RFC 3261 token. */
    private static boolean isToken(char c) {
        return isAlnum(c) || "-.!%*_+`'~".indexOf(c) >= 0;
    }

    private static boolean isHostChar(char c) {
        return isAlnum(c) || c == '.' || c == '-';
    }

    /** The unreserved user characters without escapes or the ones JAIN-SIP treats specially (; ? / # etc.). */
    private static boolean isUserChar(char c) {
        return isAlnum(c) || "-_.!~*'+".indexOf(c) >= 0;
    }

    private static boolean isUriParamChar(char c) {
        return isAlnum(c) || "-_.!~*'".indexOf(c) >= 0;
    }
}
