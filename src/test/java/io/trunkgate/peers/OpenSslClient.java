package io.trunkgate.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code openssl s_client} against a local port: the result of one handshake, as openssl reports it. */
public final class OpenSslClient {

    /** What openssl printed, and whether the handshake reached "Verification: OK" with a cipher. */
    public record Result(boolean connected, String protocol, String cipher, int certificatesSent, String output) {
    }

    private OpenSslClient() {
    }

    /**
     * One handshake; {@code options} are s_client flags such as {@code -tls1_2 -cipher X -curves P-384}.
     * The server name is {@code localhost}; verification against {@code caFile} must succeed to count as connected.
     */
    public static Result handshake(int port, Path caFile, String... options) throws IOException, InterruptedException {
        String openssl = Peers.require("openssl");
        List<String> cmd = new ArrayList<>(List.of(openssl, "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-verify_hostname", "localhost", "-CAfile", caFile.toString(),
                "-verify_return_error", "-showcerts"));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl s_client did not finish in 20 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String protocol = field(out, "Protocol  :", "Protocol :");
        String cipher = field(out, "Cipher    :", "Cipher is ");
        int certs = out.split("-----BEGIN CERTIFICATE-----", -1).length - 1;
        boolean ok = p.exitValue() == 0 && out.contains("Verify return code: 0 (ok)") && cipher != null
                && !cipher.equals("0000") && !cipher.equals("(NONE)");
        return new Result(ok, protocol, cipher, certs, out);
    }

    private static String field(String out, String... prefixes) {
        for (String line : out.split("\n")) {
            String t = line.trim();
            for (String prefix : prefixes) {
                if (t.startsWith(prefix)) {
                    return t.substring(prefix.length()).trim();
                }
                int i = t.indexOf(prefix);
                if (i >= 0 && prefix.endsWith(" ")) {
                    return t.substring(i + prefix.length()).trim();
                }
            }
        }
        return null;
    }
}
