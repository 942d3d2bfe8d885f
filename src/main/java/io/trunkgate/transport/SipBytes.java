package io.trunkgate.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.netty.buffer.ByteBuf;

/**
 * What can be said of, and answered to, a SIP message known only as bytes (framed but not parsed, or not parseable):
 * its start line, its Content-Length values (RFC 3261 18.3 framing, on streams and datagrams alike), and a response
 * built from its Via, From, To, Call-ID and CSeq lines as they came.
 */
public final class SipBytes {

    /** Warning agent of the responses the gateway makes itself (RFC 3261 20.43). */
    public static final String AGENT = "trunkgate";
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);

    private SipBytes() {
    }

    /** The start line (at most 200 bytes read), for log lines. */
    public static String startLine(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8);
        int eol = text.indexOf('\r');
        return (eol >= 0 ? text.substring(0, eol) : text).strip();
    }

    /**
     * The values of every Content-Length (or compact "l") header in the header section {@code [start, end)} of
     * {@code in}, in order and trimmed, read in place. More than one means the message's length is ambiguous
     * (RFC 4475 3.3.9).
     */
    public static List<String> contentLengths(ByteBuf in, int start, int end) {
        List<String> values = new ArrayList<>(1);
        for (int line = start; line < end;) {
            int eol = in.indexOf(line, end, (byte) '\n');
            eol = eol < 0 ? end : eol;
            int colon = in.indexOf(line, eol, (byte) ':');
            if (colon > line && isContentLength(in, line, colon)) {
                values.add(in.toString(colon + 1, eol - colon - 1, StandardCharsets.ISO_8859_1).trim());
            }
            line = eol + 1;
        }
        return values;
    }

    /** The header name in [from, colon), blanks around it ignored, is "content-length" or "l" in any case. */
    private static boolean isContentLength(ByteBuf in, int from, int colon) {
        int a = from;
        int b = colon;
        while (a < b && in.getByte(a) <= ' ') {
            a++;
        }
        while (b > a && in.getByte(b - 1) <= ' ') {
            b--;
        }
        if (b - a == 1) {
            return (in.getByte(a) | 0x20) == 'l';
        }
        if (b - a != CONTENT_LENGTH.length) {
            return false;
        }
        for (int i = 0; i < CONTENT_LENGTH.length; i++) {
            byte c = in.getByte(a + i);
            if ((c >= 'A' && c <= 'Z' ? c | 0x20 : c) != CONTENT_LENGTH[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The one Content-Length of a header section as a number, or the reason it has none usable: absent (-1, for the
     * caller to decide), several (ambiguous), not a number, negative (RFC 3261 20.14, RFC 4475 3.1.2.3, 3.3.9).
     *
     * @throws IllegalArgumentException with the reason, for a 400's Warning
     */
    public static long contentLength(List<String> values) {
        if (values.isEmpty()) {
            return -1;
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException(values.size() + " Content-Length headers (" + String.join(", ", values)
                    + "): the message's length is ambiguous (RFC 3261 20.14)");
        }
        String value = values.get(0);
        long length;
        try {
            length = value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a bad Content-Length '" + value + "' (RFC 3261 20.14)");
        }
        if (length < 0) {
            throw new IllegalArgumentException("a negative Content-Length " + value + " (RFC 3261 20.14)");
        }
        return length;
    }

    /**
     * A response to a request known only as bytes: its Via, From, To, Call-ID and CSeq lines copied as they came
     * (RFC 3261 8.2.6), a To-tag-less answer, with a Warning naming the cause.
     */
    public static byte[] refusal(byte[] request, int status, String reason, String cause) {
        String text = new String(request, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String head = end >= 0 ? text.substring(0, end) : text;
        StringBuilder out = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            String name = lines[i].split(":", 2)[0].trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "via", "v", "from", "f", "to", "t", "call-id", "i", "cseq" -> out.append(lines[i]).append("\r\n");
                default -> { }
            }
        }
        out.append("Warning: 399 ").append(AGENT).append(" \"").append(cause.replace('"', '\'').replace("\r", " ")
                .replace("\n", " ")).append("\"\r\n");
        out.append("Content-Length: 0\r\n\r\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
