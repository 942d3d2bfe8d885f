package io.trunkgate.media.sdp;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Locale;

import javax.sip.header.ContentTypeHeader;

import gov.nist.javax.sip.header.HeaderFactoryImpl;
import io.trunkgate.sip.LibraryOutput;

/**
 * The SDP inside a SIP body: the whole body ({@code application/sdp}) or the first {@code application/sdp}
 * part of a {@code multipart/*} body (RFC 5621). The SDP is spliced back byte for byte, so other parts
 * (binary ISUP, for one) stay intact: JAIN-SIP's MultipartMimeContentImpl trims control bytes from parts,
 * which corrupts binary parts, so only its Content-Type parser is used here.
 */
public final class SdpBody {

    /** Bounds the parts we look through. */
    static final int MAX_PARTS = 16;

    private final byte[] body;
    private final int start;
    private final int end;

    private SdpBody(byte[] body, int start, int end) {
        this.body = body;
        this.start = start;
        this.end = end;
    }

    /**
     * Finds the SDP.
     *
     * @throws IllegalArgumentException when the body carries no SDP or the multipart framing is broken
     */
    public static SdpBody locate(String contentType, byte[] body) {
        ContentTypeHeader type = parseContentType(contentType);
        String mime = type.getContentType().toLowerCase(Locale.ROOT) + "/" + type.getContentSubType().toLowerCase(Locale.ROOT);
        if (mime.equals("application/sdp")) {
            return new SdpBody(body, 0, body.length);
        }
        if (!mime.startsWith("multipart/")) {
            throw new IllegalArgumentException("body is " + mime + ", not application/sdp");
        }
        String boundary = type.getParameter("boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw new IllegalArgumentException("multipart body without a boundary parameter");
        }
        return inMultipart(body, ("--" + unquote(boundary)).getBytes(StandardCharsets.ISO_8859_1));
    }

    private static SdpBody inMultipart(byte[] body, byte[] delimiter) {
        int at = indexOf(body, delimiter, 0);
        for (int part = 0; at >= 0 && part < MAX_PARTS; part++) {
            int lineEnd = indexOf(body, "\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            if (lineEnd < 0 || startsWith(body, at + delimiter.length, "--")) {
                break; // close delimiter
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), lineEnd);
            int next = indexOf(body, concat("\r\n".getBytes(StandardCharsets.ISO_8859_1), delimiter), lineEnd);
            if (next < 0) {
                throw new IllegalArgumentException("multipart part " + (part + 1) + " has no closing boundary");
            }
            // a part without headers starts with the blank line that ends its (empty) header section
            boolean noHeaders = startsWith(body, lineEnd + 2, "\r\n");
            if (!noHeaders && (headersEnd < 0 || headersEnd > next)) {
                throw new IllegalArgumentException("multipart part " + (part + 1) + " has no end of headers");
            }
            int contentStart = Math.min(noHeaders ? lineEnd + 4 : headersEnd + 4, next);
            String headers = noHeaders ? "" : new String(body, lineEnd + 2, headersEnd - lineEnd - 2, StandardCharsets.ISO_8859_1);
            if (isSdpPart(headers)) {
                return new SdpBody(body, contentStart, next);
            }
            at = next + 2;
        }
        throw new IllegalArgumentException("multipart body has no application/sdp part");
    }

    private static boolean isSdpPart(String headers) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).trim();
                if (name.equalsIgnoreCase("Content-Type") || name.equals("c")) {
                    ContentTypeHeader t = parseContentType(line.substring(colon + 1).trim());
                    return t.getContentType().equalsIgnoreCase("application") && t.getContentSubType().equalsIgnoreCase("sdp");
                }
            }
        }
        return false; // RFC 2046: no Content-Type means text/plain
    }

    private static ContentTypeHeader parseContentType(String value) {
        try {
            return (ContentTypeHeader) LibraryOutput.quietly(() -> new HeaderFactoryImpl().createHeader("Content-Type", value));
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException("bad Content-Type '" + value + "'");
        }
    }

    /** The SDP text (UTF-8, RFC 8866 5). */
    public String sdp() {
        return new String(body, start, end - start, StandardCharsets.UTF_8);
    }

    /** The whole body with the SDP replaced; every other byte unchanged. */
    public byte[] with(String sdp) {
        byte[] replacement = sdp.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[start + replacement.length + body.length - end];
        System.arraycopy(body, 0, out, 0, start);
        System.arraycopy(replacement, 0, out, start, replacement.length);
        System.arraycopy(body, end, out, start + replacement.length, body.length - end);
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static boolean startsWith(byte[] b, int at, String s) {
        return at + s.length() <= b.length && new String(b, at, s.length(), StandardCharsets.ISO_8859_1).equals(s);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
