package io.trunkgate.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.trunkgate.routing.DnsSrvResolver;
import io.trunkgate.routing.Router;
import io.trunkgate.routing.RoutingConfig;
import io.trunkgate.routing.TrunkRouteProcessor;
import io.trunkgate.sip.SipParseProcessor;
import io.trunkgate.sip.SipUriProcessor;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.flow.SipConnection;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One thread, a typical INVITE with SDP (about 700 bytes): JAIN-SIP's bare parse (the baseline of the parser),
 * sipParse (JAIN-SIP with the direct path for plain lines, strict, on an exchange) and sipParse + sipUri +
 * trunkRoute on the same bytes, through Camel exchanges as in the route (issue #4: at most +25% on the bare parse).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 6, time = 2)
public class RoutingBench {

    static final String SDP = "v=0\r\n"
            + "o=- 3724394400 3724394400 IN IP4 127.0.0.1\r\n"
            + "s=-\r\n"
            + "c=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\n"
            + "m=audio 40000 RTP/SAVP 0 8 101\r\n"
            + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=sendrecv\r\n";

    static final byte[] INVITE = ("INVITE sip:+13175550100;tgrp=acme-tg1;trunk-context=example.com"
            + "@lb01.pc-voice.usw2.pure.cloud:5061;transport=tls SIP/2.0\r\n"
            + "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK776asdhds\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: <sip:+13175550100@lb01.pc-voice.usw2.pure.cloud>\r\n"
            + "From: \"Caller\" <sip:+15551234567@127.0.0.1>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710@127.0.0.1\r\n"
            + "CSeq: 314159 INVITE\r\n"
            + "Contact: <sip:+15551234567@127.0.0.1:5061;transport=tls>\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + SDP.length() + "\r\n"
            + "\r\n" + SDP).getBytes(StandardCharsets.UTF_8);

    static final String TRUNKS = """
            trunks:
              - id: acme
                role: customer
                tgrp: acme-tg1
                trunk-context: example.com
                inbound:
                  sources: [127.0.0.0/24]
                  dnis: ["+1317555*"]
                  fqdn: [acme.example.com]
                remote:
                  hosts: [lb01.pc-voice.usw2.pure.cloud, lb02.pc-voice.usw2.pure.cloud,
                          lb03.pc-voice.usw2.pure.cloud, lb04.pc-voice.usw2.pure.cloud]
                inside:
                  target: "sip:127.0.0.5:5060;transport=udp"
              - id: other
                role: cloud
                tgrp: other-tg
                trunk-context: example.net
                inbound:
                  sources: [127.0.1.0/24]
                  dnis: ["+44*"]
                remote:
                  hosts: [sbc.other.example]
                inside:
                  target: "sip:127.0.0.6:5060"
            """;

    private CamelContext camel;
    private SipParseProcessor sipParse;
    private SipUriProcessor sipUri;
    private TrunkRouteProcessor trunkRoute;
    private SipConnection connection;
    private InetSocketAddress source;

    @Setup
    public void setUp() throws IOException {
        Path dir = Files.createTempDirectory("trunkgate-bench");
        Files.writeString(dir.resolve("trunks.yaml"), TRUNKS);
        camel = new DefaultCamelContext();
        sipParse = new SipParseProcessor();
        sipUri = new SipUriProcessor();
        trunkRoute = new TrunkRouteProcessor(new Router(RoutingConfig.load(dir), new DnsSrvResolver()));
        source = new InetSocketAddress("127.0.0.9", 40000);
        connection = new NullConnection(source);
    }

    @Benchmark
    public SIPMessage jainSipParse() throws Exception {
        return new StringMsgParser().parseSIPMessage(INVITE, true, false, null);
    }

    /** sipParse alone (strict parse, header checks, the exchange): what the routing steps are added to. */
    @Benchmark
    public Object sipParse() throws Exception {
        Exchange exchange = exchange();
        sipParse.process(exchange);
        return exchange.getIn().getBody();
    }

    @Benchmark
    public Object parseUriRoute() throws Exception {
        Exchange exchange = exchange();
        sipParse.process(exchange);
        sipUri.process(exchange);
        trunkRoute.process(exchange);
        Object hop = exchange.getIn().getHeader(TrunkgateConstants.NEXT_HOP);
        if (hop == null) {
            throw new IllegalStateException("not routed");
        }
        return hop;
    }

    private Exchange exchange() {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(INVITE);
        exchange.getIn().setHeader(TrunkgateConstants.CONNECTION, connection);
        exchange.getIn().setHeader(TrunkgateConstants.SOURCE_ADDRESS, source);
        exchange.getIn().setHeader(TrunkgateConstants.SOURCE_TRANSPORT, "tls");
        exchange.getIn().setHeader(TrunkgateConstants.SIDE, Side.TRUNK);
        return exchange;
    }

    /** Sends nothing: the benchmarked request is routed, never answered. */
    static final class NullConnection implements SipConnection {
        private final InetSocketAddress remote;

        NullConnection(InetSocketAddress remote) {
            this.remote = remote;
        }

        @Override
        public String transport() {
            return "tls";
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 5061);
        }

        @Override
        public void send(byte[] message) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }
}
