package io.trunkgate.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * A SIP OPTIONS on a verified TLS connection (RFC 3261 11: the keep-alive probe of trunks) and the status line of
 * its final response; provisional responses and CRLF keep-alives are skipped.
 */
final class OptionsPing {

    private static final int MAX_HEADER_BYTES = 16384;

    private OptionsPing() {
    }

    /** The final response's status line; throws on a timeout, a close or something that is not a SIP response. */
    static String ping(Socket socket, CheckTarget target) throws IOException {
        String id = UUID.randomUUID().toString();
        InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
        String request = "OPTIONS sip:" + target.host() + ":" + target.port() + ";transport=tls SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS " + local.getAddress().getHostAddress() + ":" + local.getPort()
                + ";branch=z9hG4bK" + id.substring(0, 18) + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:trunkgate-check@trunkgate.invalid>;tag=" + id.substring(24) + "\r\n"
                + "To: <sip:" + target.host() + ">\r\n"
                + "Call-ID: " + id + "@trunkgate.invalid\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Accept: application/sdp\r\n"
                + "User-Agent: trunkgate-check\r\n"
                + "Content-Length: 0\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = socket.getInputStream();
        try {
            while (true) {
                String head = readHead(in);
                String status = head.substring(0, head.indexOf("\r\n") < 0 ? head.length() : head.indexOf("\r\n"));
                if (!status.startsWith("SIP/2.0 ")) {
                    throw new IOException("the answer is not a SIP response: " + abbreviate(status));
                }
                in.readNBytes(contentLength(head));
                if (status.length() < 9 || status.charAt(8) != '1') {
                    return status;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("no final response within " + socket.getSoTimeout() + " ms", e);
        }
    }

    /** The start line and headers up to the blank line; leading CRLFs (keep-alives) are skipped. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection" + (head.size() > 0 ? " after "
                        + abbreviate(head.toString(StandardCharsets.UTF_8)) : " without answering"));
            }
            if (head.size() == 0 && (b == '\r' || b == '\n')) {
                continue;
            }
            head.write(b);
            if (head.size() > MAX_HEADER_BYTES) {
                throw new IOException("the response headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.UTF_8);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:") || lower.startsWith("l:")) {
                try {
                    return Math.max(0, Math.min(65536, Integer.parseInt(line.substring(line.indexOf(':') + 1).trim())));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static String abbreviate(String s) {
        String one = s.replace("\r", "\\r").replace("\n", "\\n");
        return one.length() > 80 ? one.substring(0, 80) + "..." : one;
    }
}
