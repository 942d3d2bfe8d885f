package io.trunkgate.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;

/** Bytes to a JAIN-SIP message, strictly: JAIN-SIP alone is lenient with bad headers (see platform facts). */
public final class SipParser {

    /** JAIN-SIP passes over a bad header when the listener is null: rethrow so the message is refused. */
    private static final ParseExceptionListener STRICT = (ex, msg, headerClass, headerText, messageText) -> {
        throw new ParseException("bad " + headerName(headerText) + " header: " + ex.getMessage(), ex.getErrorOffset());
    };

    private SipParser() {
    }

    /** Parses one whole message; the exception message says what is wrong, for a 400's Warning. */
    public static SIPMessage parse(byte[] bytes) throws ParseException {
        SIPMessage message;
        try {
            message = new StringMsgParser().parseSIPMessage(bytes, true, false, STRICT);
        } catch (ParseException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ParseException("unparsable message: " + e.getMessage(), 0);
        }
        if (message == null) {
            throw new ParseException("empty message", 0);
        }
        // Via, From, To, Call-ID, CSeq (and Max-Forwards on requests) must be there (RFC 3261 8.1.1)
        if (message instanceof SIPRequest request) {
            request.checkHeaders();
        } else if (message instanceof SIPResponse response) {
            response.checkHeaders();
        }
        return message;
    }

    private static String headerName(String headerText) {
        if (headerText == null) {
            return "";
        }
        int colon = headerText.indexOf(':');
        return (colon > 0 ? headerText.substring(0, colon) : headerText).trim();
    }

    /** The start line, for log lines about a message that did not parse. */
    public static String startLine(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8);
        int eol = text.indexOf('\r');
        return (eol >= 0 ? text.substring(0, eol) : text).strip();
    }
}
