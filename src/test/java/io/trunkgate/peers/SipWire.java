package io.trunkgate.peers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP peer on a real socket that writes raw bytes and reads what comes back as whole messages: a UDP socket (one
 * datagram, one message), a TCP connection or a TLS one (framed by Content-Length, RFC 3261 18.3).
 */
public abstract class SipWire implements AutoCloseable {

    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:call-id|i)[ \\t]*:[ \\t]*(.*?)[ \\t]*$");
    private static final Pattern STATUS = Pattern.compile("^SIP/2\\.0 (\\d{3})");

    /** Sends one message as it is. */
    public abstract void send(byte[] message) throws IOException;

    /** The next message, or null when none came within {@code millis}; {@link #closed()} tells an end of stream. */
    public abstract String receive(int millis) throws IOException;

    /** The peer closed the connection (streams only). */
    public abstract boolean closed();

    /** udp, tcp or tls. */
    public abstract String transport();

    /** Our local port (the Via sent-by of messages we make). */
    public abstract int localPort();

    public void send(String message) throws IOException {
        send(message.getBytes(StandardCharsets.UTF_8));
    }

    /** A UDP socket on loopback sending to {@code port}. */
    public static SipWire udp(int port) throws IOException {
        return new Udp(port);
    }

    /** A TCP connection to loopback {@code port}. */
    public static SipWire tcp(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        return new Stream(s, "tcp");
    }

    /** A connected TLS (or other) stream socket. */
    public static SipWire stream(Socket connected, String transport) throws IOException {
        return new Stream(connected, transport);
    }

    /** The Call-ID of a message, or null. */
    public static String callId(String message) {
        Matcher m = CALL_ID.matcher(head(message));
        return m.find() ? m.group(1) : null;
    }

    /** The status of a response, or -1 for a request. */
    public static int status(String message) {
        Matcher m = STATUS.matcher(message);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String head(String message) {
        int end = message.indexOf("\r\n\r\n");
        return end >= 0 ? message.substring(0, end) : message;
    }

    /** A minimal OPTIONS addressed to the gateway itself on {@code port} (answered 200 there). */
    public String options(int port, String callId) {
        String t = transport().toUpperCase(Locale.ROOT);
        return "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + t + " 127.0.0.1:" + localPort() + ";branch=z9hG4bK" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=" + callId + "\r\n"
                + "To: <sip:127.0.0.1:" + port + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** Reads one SIP message from a stream (headers, then Content-Length bytes); null at the end of the stream. */
    public static String readMessage(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed after: " + head);
            }
            if (head.size() == 0 && (b == '\r' || b == '\n')) {
                continue; // a keep-alive pong between messages
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                    : (b == '\r' ? 1 : 0);
        }
        String headers = head.toString(StandardCharsets.UTF_8);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:") || lower.startsWith("l:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static final class Udp extends SipWire {
        private final DatagramSocket socket;
        private final InetSocketAddress to;

        Udp(int port) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setReceiveBufferSize(4 << 20); // a burst of answers must not be dropped by the kernel (capped at rmem_max)
            to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }

        @Override
        public void send(byte[] message) throws IOException {
            socket.send(new DatagramPacket(message, message.length, to));
        }

        @Override
        public String receive(int millis) throws IOException {
            byte[] buf = new byte[65536];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.setSoTimeout(Math.max(1, millis));
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return new String(Arrays.copyOf(buf, p.getLength()), StandardCharsets.UTF_8);
        }

        @Override
        public boolean closed() {
            return false;
        }

        @Override
        public String transport() {
            return "udp";
        }

        @Override
        public int localPort() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static final class Stream extends SipWire {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final String transport;
        private boolean closed;

        Stream(Socket socket, String transport) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.transport = transport;
        }

        @Override
        public void send(byte[] message) throws IOException {
            out.write(message);
            out.flush();
        }

        @Override
        public String receive(int millis) throws IOException {
            if (closed) {
                return null;
            }
            socket.setSoTimeout(Math.max(1, millis));
            try {
                String m = readMessage(in);
                closed = m == null;
                return m;
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                closed = true; // reset by the peer
                return null;
            }
        }

        @Override
        public boolean closed() {
            return closed;
        }

        @Override
        public String transport() {
            return transport;
        }

        @Override
        public int localPort() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
