package io.trunkgate.check;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;

/**
 * Does the server accept TLS 1.1 (TLS-4)? JDK 17 disables TLS 1.1 in {@code jdk.tls.disabledAlgorithms}, which both
 * SunJSSE and BCJSSE honour, and re-enabling it is JVM-wide; so this writes a TLS 1.1 ClientHello itself and reads
 * only the first answer: a ServerHello for TLS 1.1 means accepted, an alert or a close means refused. No
 * handshake is completed and nothing is decrypted.
 */
final class LegacyHelloProbe {

    private static final int TLS_1_1 = 0x0302;
    /** TLS 1.1-capable suites, ECDHE and RSA key exchange, plus the renegotiation SCSV. */
    private static final int[] SUITES = {0xC014, 0xC013, 0x0035, 0x002F, 0x00FF};
    /** secp384r1, secp256r1, x25519: a curve must not be the reason for a refusal. */
    private static final int[] GROUPS = {0x0018, 0x0017, 0x001D};
    private static final Map<Integer, String> ALERTS = Map.of(40, "handshake_failure", 47, "illegal_parameter",
            70, "protocol_version", 71, "insufficient_security", 80, "internal_error", 112, "unrecognized_name");

    private final CheckTarget target;
    private final int timeoutMillis;

    LegacyHelloProbe(CheckTarget target, Duration timeout) {
        this.target = target;
        this.timeoutMillis = (int) timeout.toMillis();
    }

    TlsProbe.Result probe() throws TlsProbe.UnreachableException {
        try (Socket s = TlsProbe.connect(target, timeoutMillis)) {
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write(clientHello());
            s.getOutputStream().flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int type = in.readUnsignedByte();
            in.readUnsignedShort(); // record version
            int length = in.readUnsignedShort();
            byte[] body = in.readNBytes(Math.min(length, 64));
            if (type == 21 && body.length >= 2) {
                int alert = body[1] & 0xff;
                return refused(ALERTS.getOrDefault(alert, "alert") + "(" + alert + ")");
            }
            if (type == 22 && body.length >= 6 && body[0] == 2) {
                int version = (body[4] & 0xff) << 8 | body[5] & 0xff;
                return version == TLS_1_1 ? new TlsProbe.Result(true, "TLSv1.1", null, null)
                        : refused(String.format("answered with version 0x%04x to a TLS 1.1 hello", version));
            }
            return refused("answered with record type " + type);
        } catch (TlsProbe.UnreachableException e) {
            throw e;
        } catch (EOFException e) {
            return refused("closed the connection");
        } catch (SocketTimeoutException e) {
            return refused("no answer within " + timeoutMillis + " ms");
        } catch (IOException e) {
            return refused(TlsProbe.describe(e));
        }
    }

    private static TlsProbe.Result refused(String why) {
        return new TlsProbe.Result(false, null, null, why);
    }

    /** A ClientHello: version 1.1, the suites above, SNI, supported_groups and ec_point_formats. */
    byte[] clientHello() {
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        byte[] name = target.host().getBytes(StandardCharsets.US_ASCII);
        extension(ext, 0x0000, concat(u16(name.length + 3), new byte[] {0}, u16(name.length), name));
        ByteArrayOutputStream groups = new ByteArrayOutputStream();
        for (int g : GROUPS) {
            groups.writeBytes(u16(g));
        }
        extension(ext, 0x000A, concat(u16(groups.size()), groups.toByteArray()));
        extension(ext, 0x000B, new byte[] {1, 0});

        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.writeBytes(u16(TLS_1_1));
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        hello.writeBytes(random);
        hello.write(0); // no session id
        hello.writeBytes(u16(SUITES.length * 2));
        for (int s : SUITES) {
            hello.writeBytes(u16(s));
        }
        hello.writeBytes(new byte[] {1, 0}); // null compression only
        hello.writeBytes(u16(ext.size()));
        hello.writeBytes(ext.toByteArray());

        byte[] body = hello.toByteArray();
        byte[] handshake = concat(new byte[] {1, (byte) (body.length >> 16), (byte) (body.length >> 8), (byte) body.length},
                body);
        return concat(new byte[] {22, 3, 1}, u16(handshake.length), handshake);
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
        out.writeBytes(u16(type));
        out.writeBytes(u16(data.length));
        out.writeBytes(data);
    }

    private static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
