package io.trunkgate.media.sdp;

import java.util.Locale;

import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.ContentType;
import gov.nist.javax.sip.message.SIPMessage;

/**
 * The SDP-bearing body of a JAIN-SIP message and its replacement. Replacing sets Content-Type and
 * Content-Length on the message itself, because sipForward serialises the message object, not our bytes.
 */
public record MessageBody(String contentType, byte[] bytes) {

    /** The body when it may hold SDP ({@code application/sdp} or {@code multipart/*}), else null. */
    public static MessageBody of(SIPMessage message) {
        byte[] raw = message.getRawContent();
        ContentType type = message.getContentTypeHeader();
        if (raw == null || raw.length == 0 || type == null) {
            return null;
        }
        String mime = (type.getContentType() + "/" + type.getContentSubType()).toLowerCase(Locale.ROOT);
        if (!mime.equals("application/sdp") && !mime.startsWith("multipart/")) {
            return null;
        }
        return new MessageBody(type.encodeBody(), raw);
    }

    /** New body bytes; the Content-Type (with a multipart boundary) stays, Content-Length follows the bytes. */
    public static void replace(SIPMessage message, byte[] body) {
        ContentType type = message.getContentTypeHeader();
        if ("sdp".equalsIgnoreCase(type.getContentSubType())) {
            message.setMessageContent("application", "sdp", body);
        } else {
            ContentType kept = (ContentType) type.clone(); // the boundary parameter must survive
            message.setMessageContent(body);
            message.setHeader(kept);
        }
        message.setContentLength(new ContentLength(body.length));
    }

    /** No body any more: Content-Type removed, Content-Length 0. */
    public static void strip(SIPMessage message) {
        message.removeContent();
        message.removeHeader(ContentType.NAME);
        message.setContentLength(new ContentLength(0));
    }
}
