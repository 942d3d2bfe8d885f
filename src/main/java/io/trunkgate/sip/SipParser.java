package io.trunkgate.sip;

import java.text.ParseException;

import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.StatusLine;
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
        SIPMessage message;
        try {
            message = new PlainFirst().parseSIPMessage(bytes, true, false, STRICT);
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

}
