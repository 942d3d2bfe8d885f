package io.trunkgate.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.trunkgate.transport.SipBytes;

/** Bytes to a JAIN-SIP message, strictly: JAIN-SIP alone is lenient with bad headers (see platform facts). */
public final class SipParser {

    /** JAIN-SIP passes over a bad header when the listener is null: rethrow so the message is refused. */
    private static final ParseExceptionListener STRICT = (ex, msg, headerClass, headerText, messageText) -> {
        throw new ParseException("bad " + headerName(headerText) + " header: " + ex.getMessage(), ex.getErrorOffset());
    };

    private SipParser() {
    }

    /** JAIN-SIP's message parser, with the plain forms of the start line and frequent headers built directly (PlainLines). */
    private static final class PlainFirst extends StringMsgParser {
        @Override
        protected SIPMessage processFirstLine(String firstLine, ParseExceptionListener listener, byte[] raw) throws ParseException {
            if (firstLine.startsWith("SIP/")) {
                StatusLine plain = PlainLines.statusLine(firstLine);
                if (plain != null) {
                    SIPResponse response = new SIPResponse();
                    response.setStatusLine(plain);
                    return response;
                }
            } else {
                RequestLine plain = PlainLines.requestLine(firstLine);
                if (plain != null) {
                    SIPRequest request = new SIPRequest();
                    request.setRequestLine(plain);
                    return request;
                }
            }
            return super.processFirstLine(firstLine, listener, raw);
        }

        @Override
        protected void processHeader(String header, SIPMessage message, ParseExceptionListener listener, byte[] raw)
                throws ParseException {
            SIPHeader plain = header == null ? null : PlainLines.parse(header);
            if (plain != null) {
                try {
                    message.attachHeader(plain, false);
                    return;
                } catch (ParseException e) {
                    // a duplicate: JAIN-SIP's own path below reports it as it always does
                }
            }
            super.processHeader(header, message, listener, raw);
        }
    }

    /** Parses one whole message; the exception message says what is wrong, for a 400's Warning. */
    public static SIPMessage parse(byte[] bytes) throws ParseException {
        byte[] framed = framed(bytes);
        SIPMessage message;
        try {
            // JAIN-SIP prints the stack trace of what it rejects: kept off the console (issue #17)
            message = LibraryOutput.quietly(() -> new PlainFirst().parseSIPMessage(framed, true, false, STRICT));
        } catch (ParseException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ParseException("unparsable message: " + e.getMessage(), 0);
        }
        if (message == null) {
            throw new ParseException("empty message", 0);
        }
        if (message instanceof SIPRequest request) {
            checkRequest(request);
        } else if (message instanceof SIPResponse response) {
            response.checkHeaders();
        }
        return message;
    }

    /**
     * The message as its Content-Length frames it (RFC 3261 18.3; on a stream the framing already did this): octets
     * after the body are discarded (RFC 4475 3.1.1.8); a body shorter than Content-Length (3.1.2.2), several
     * Content-Length headers (3.3.9), a bad or negative value (3.1.2.3) make the message malformed. Without
     * Content-Length, the rest of the datagram is the body (RFC 2543 peers, RFC 4475 3.4.1).
     */
    static byte[] framed(byte[] bytes) throws ParseException {
        int end = headerEnd(bytes);
        if (end < 0) {
            return bytes;
        }
        long length;
        try {
            length = SipBytes.contentLength(scanHeaders(bytes, end));
        } catch (IllegalArgumentException e) {
            throw new ParseException(e.getMessage(), 0);
        }
        int body = bytes.length - end;
        if (length < 0 || length == body) {
            return bytes;
        }
        if (length > body) {
            throw new ParseException("Content-Length " + length + " is larger than the body that came (" + body
                    + " bytes, RFC 3261 18.3)", 0);
        }
        return Arrays.copyOf(bytes, end + (int) length);
    }

    /** The header names one pass over a header section looks for, lower case, full and compact (RFC 3261 7.3.3)... */
    private static final byte[][] NAMES = ascii("call-id", "i", "cseq", "from", "f", "to", "t", "max-forwards",
            "content-type", "c", "content-length", "l");
    /** ... the header field each names ... */
    private static final String[] HEADER = {"Call-ID", "Call-ID", "CSeq", "From", "From", "To", "To", "Max-Forwards",
            "Content-Type", "Content-Type", "Content-Length", "Content-Length"};
    /** ... and that field's bit in a set of fields met. */
    private static final int[] FIELD = {1, 1, 2, 4, 4, 8, 8, 16, 32, 32, 64, 64};
    private static final int CONTENT_LENGTH = 64;

    /**
     * One pass over the header section {@code [0, end)}, in place. A header field of one value (Call-ID, CSeq, From,
     * To, Max-Forwards, Content-Type: RFC 3261 7.3.1, 20) given twice makes the message malformed (RFC 4475 3.3.8):
     * JAIN-SIP would keep one of them silently, and which Call-ID or To is the request's cannot be told. Returns the
     * Content-Length values, in order and trimmed, for the framing to judge.
     */
    private static List<String> scanHeaders(byte[] b, int end) throws ParseException {
        List<String> lengths = List.of();
        int seen = 0; // the FIELD bits of the header fields met
        int line = 0;
        while (line < end) {
            int eol = line;
            while (eol < end && b[eol] != '\n') {
                eol++;
            }
            if (line > 0 && b[line] != ' ' && b[line] != '\t') {
                int colon = line;
                while (colon < eol && b[colon] != ':') {
                    colon++;
                }
                int name = colon < eol ? nameAt(b, line, colon) : -1;
                if (name >= 0 && FIELD[name] == CONTENT_LENGTH) {
                    if (lengths.isEmpty()) {
                        lengths = new ArrayList<>(1);
                    }
                    lengths.add(new String(b, colon + 1, eol - colon - 1, StandardCharsets.ISO_8859_1).trim());
                } else if (name >= 0) {
                    int field = FIELD[name];
                    if ((seen & field) != 0) {
                        throw new ParseException("several " + HEADER[name] + " header fields, of one value each (RFC 3261 7.3.1)", 0);
                    }
                    seen |= field;
                }
            }
            line = eol + 1;
        }
        return lengths;
    }

    /** The index in NAMES of the header name in {@code [from, colon)}, blanks around it and case ignored, or -1. */
    private static int nameAt(byte[] b, int from, int colon) {
        int a = from;
        int z = colon;
        while (a < z && (b[a] & 0xff) <= ' ') {
            a++;
        }
        while (z > a && (b[z - 1] & 0xff) <= ' ') {
            z--;
        }
        names:
        for (int n = 0; n < NAMES.length; n++) {
            byte[] name = NAMES[n];
            if (name.length != z - a) {
                continue;
            }
            for (int i = 0; i < name.length; i++) {
                byte c = b[a + i];
                if ((c >= 'A' && c <= 'Z' ? c | 0x20 : c) != name[i]) {
                    continue names;
                }
            }
            return n;
        }
        return -1;
    }

    private static byte[][] ascii(String... names) {
        byte[][] bytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            bytes[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }

    /** The index after the blank line ending the header section, or -1. */
    private static int headerEnd(byte[] b) {
        for (int i = 3; i < b.length; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Via, From, To, Call-ID and CSeq must be there (RFC 3261 8.1.1, RFC 4475 3.3.1). A missing Max-Forwards is
     * not an error at a proxy: it adds one when it forwards (RFC 3261 16.6 step 3; RFC 2543 peers, RFC 4475 3.4.1).
     */
    private static void checkRequest(SIPRequest request) throws ParseException {
        String missing = request.getTopmostVia() == null ? "Via" : request.getFrom() == null ? "From"
                : request.getTo() == null ? "To" : request.getCallId() == null ? "Call-ID"
                : request.getCSeq() == null ? "CSeq" : null;
        if (missing != null) {
            throw new ParseException("a request without " + missing + " (RFC 3261 8.1.1)", 0);
        }
    }

    private static String headerName(String headerText) {
        if (headerText == null) {
            return "";
        }
        int colon = headerText.indexOf(':');
        return (colon > 0 ? headerText.substring(0, colon) : headerText).trim();
    }

}
