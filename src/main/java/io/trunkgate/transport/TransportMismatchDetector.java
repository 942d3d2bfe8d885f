package io.trunkgate.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the first bytes of a connection and names a transport mismatch in words (TLS-2): plain SIP sent to the
 * TLS port (refused), a TLS ClientHello on a plain port (refused), or a ClientHello that offers no TLS 1.2 (TLS-4:
 * logged here, then refused by the TLS engine with a protocol_version alert). Then it steps out of the pipeline.
 */
public class TransportMismatchDetector extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(TransportMismatchDetector.class);

    /** Set when this handler already logged why the connection fails, so the handshake failure is not logged twice. */
    public static final AttributeKey<String> EXPLAINED = AttributeKey.valueOf("trunkgate.mismatchExplained");

    private static final int TLS_HANDSHAKE = 0x16;
    private static final int CLIENT_HELLO = 0x01;
    private static final int SUPPORTED_VERSIONS = 43;
    private static final int TLS12 = 0x0303;

    private final boolean tlsPort;

    public TransportMismatchDetector(boolean tlsPort) {
        this.tlsPort = tlsPort;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 5) {
            return;
        }
        int first = in.getUnsignedByte(in.readerIndex());
        boolean tlsRecord = first == TLS_HANDSHAKE && in.getUnsignedByte(in.readerIndex() + 1) == 3;
        if (tlsPort && tlsRecord) {
            int recordLength = in.getUnsignedShort(in.readerIndex() + 3);
            if (in.readableBytes() < 5 + recordLength && recordLength <= 16384 + 2048) {
                return; // wait for the whole first record to read the hello's versions
            }
            String problem = helloVersionProblem(in);
            if (problem != null) {
                explain(ctx, "peer " + ctx.channel().remoteAddress() + " " + problem + " on TLS port " + port(ctx)
                        + ": only TLS 1.2 is supported (TLS-4); both ends of a trunk must use the same transport (TLS-2)");
            }
            ctx.pipeline().remove(this);
        } else if (tlsPort) {
            String what = looksLikeSip(in) ? "sent plain SIP (" + firstLine(in) + ")"
                    : first == 0x80 ? "sent an SSLv2 hello" : "sent bytes that are neither TLS nor SIP";
            explain(ctx, "peer " + ctx.channel().remoteAddress() + " " + what + " to the TLS port " + port(ctx)
                    + ": both ends of a trunk must use the same transport (TLS-2)");
            in.skipBytes(in.readableBytes());
            ConnectionWatch.close(ctx, "transport mismatch, explained above (TLS-2)", true);
        } else if (tlsRecord) {
            explain(ctx, "peer " + ctx.channel().remoteAddress() + " sent a TLS handshake to the plain SIP port "
                    + port(ctx) + ": both ends of a trunk must use the same transport (TLS-2)");
            in.skipBytes(in.readableBytes());
            ConnectionWatch.close(ctx, "transport mismatch, explained above (TLS-2)", true);
        } else {
            ctx.pipeline().remove(this);
        }
    }

    private static void explain(ChannelHandlerContext ctx, String line) {
        ctx.channel().attr(EXPLAINED).set(line);
        LOG.warn(line);
    }

    private static int port(ChannelHandlerContext ctx) {
        return ((java.net.InetSocketAddress) ctx.channel().localAddress()).getPort();
    }

    private static boolean looksLikeSip(ByteBuf in) {
        String line = firstLine(in);
        return line.startsWith("SIP/2.0") || line.matches("[A-Z]+ \\S+ SIP/2\\.0.*") || line.matches("[A-Z]{3,9} .*");
    }

    private static String firstLine(ByteBuf in) {
        int n = Math.min(in.readableBytes(), 120);
        String s = in.toString(in.readerIndex(), n, StandardCharsets.ISO_8859_1);
        int eol = s.indexOf('\r');
        return (eol >= 0 ? s.substring(0, eol) : s).replaceAll("[^\\x20-\\x7e]", "?");
    }

    /**
     * Reads the ClientHello in the first record: null when it offers TLS 1.2, otherwise what it offers. A hello that
     * does not fit the first record is left to the TLS engine.
     */
    static String helloVersionProblem(ByteBuf in) {
        int p = in.readerIndex() + 5;
        int end = in.readerIndex() + 5 + in.getUnsignedShort(in.readerIndex() + 3);
        if (end > in.writerIndex() || in.getUnsignedByte(p) != CLIENT_HELLO) {
            return null;
        }
        int helloEnd = p + 4 + in.getUnsignedMedium(p + 1);
        if (helloEnd > end) {
            return null;
        }
        p += 4;
        int legacyVersion = in.getUnsignedShort(p);
        p += 2 + 32;
        p += 1 + in.getUnsignedByte(p); // session id
        p += 2 + in.getUnsignedShort(p); // cipher suites
        p += 1 + in.getUnsignedByte(p); // compression methods
        List<Integer> offered = new ArrayList<>();
        if (p + 2 <= helloEnd) {
            int extEnd = p + 2 + in.getUnsignedShort(p);
            p += 2;
            while (p + 4 <= Math.min(extEnd, helloEnd)) {
                int type = in.getUnsignedShort(p);
                int len = in.getUnsignedShort(p + 2);
                if (type == SUPPORTED_VERSIONS && len >= 1) {
                    int listEnd = p + 5 + in.getUnsignedByte(p + 4);
                    for (int v = p + 5; v + 2 <= listEnd; v += 2) {
                        offered.add(in.getUnsignedShort(v));
                    }
                }
                p += 4 + len;
            }
        }
        if (!offered.isEmpty()) {
            return offered.contains(TLS12) ? null : "offered only " + names(offered);
        }
        return legacyVersion >= TLS12 ? null : "offered at most " + name(legacyVersion);
    }

    private static String names(List<Integer> versions) {
        List<String> out = new ArrayList<>();
        for (int v : versions) {
            if ((v & 0x0f0f) != 0x0a0a) { // GREASE values say nothing
                out.add(name(v));
            }
        }
        return String.join(", ", out);
    }

    private static String name(int version) {
        return switch (version) {
            case 0x0304 -> "TLS 1.3";
            case 0x0303 -> "TLS 1.2";
            case 0x0302 -> "TLS 1.1";
            case 0x0301 -> "TLS 1.0";
            case 0x0300 -> "SSL 3.0";
            default -> String.format("version 0x%04x", version);
        };
    }
}
