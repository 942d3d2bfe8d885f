package io.trunkgate.media.sdp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.sdp.Attribute;
import javax.sdp.Connection;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;

import gov.nist.javax.sdp.MediaDescriptionImpl;
import io.trunkgate.flow.Side;
import io.trunkgate.sip.LibraryOutput;

/**
 * SDES offer/answer over JAIN-SIP's SDP parser: pure functions from an SDP body to the SDP for the other
 * side. One stream is relayed: the first audio m-line with a non-zero port and an RTP
 * profile; every other m-line goes on with port 0. The trunk side gets RTP/SAVP plus one a=crypto
 * (RFC 4568), the inside gets RTP/AVP without crypto; codecs, rtpmap, fmtp, ptime, telephone-event and
 * direction attributes pass unchanged. Only SecureRandom makes it non-deterministic (our keys).
 */
public final class SdesNegotiator {

    /** Attributes that describe a transport or keys we replace: never passed to the other side. */
    static final Set<String> DROPPED = Set.of("crypto", "rtcp", "rtcp-mux", "candidate", "remote-candidates",
            "end-of-candidates", "ice-ufrag", "ice-pwd", "ice-options", "ice-lite", "ice-mismatch", "fingerprint",
            "setup", "connection", "key-mgmt");
    static final Set<String> RELAYABLE = Set.of("RTP/AVP", "RTP/SAVP", "RTP/AVPF", "RTP/SAVPF");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private final SecureRandom random;

    public SdesNegotiator(SecureRandom random) {
        this.random = random;
    }

    /**
     * An offer (INVITE, re-INVITE, UPDATE, or a 2xx/ACK of a late offer) arrived from {@code from}.
     *
     * @param toward the relay's address and ports on the other side, where that side is to send
     */
    public SdpResult offer(String contentType, byte[] body, Side from, MediaSecurity security, RelayAddress toward) {
        return offer(contentType, body, from, security, () -> toward);
    }

    /**
     * An offer, with the relay's address asked for only once the offer is found usable: a broken offer (an address
     * that is not one, a port out of range, no c= for the stream) is refused before any media port is taken, so it
     * costs nothing (issue #17). What {@code toward} throws (no media port free) goes to the caller.
     */
    public SdpResult offer(String contentType, byte[] body, Side from, MediaSecurity security,
            Supplier<RelayAddress> toward) {
        try {
            Parsed p = Parsed.of(contentType, body);
            int index = relayedIndex(p.media);
            if (index < 0) {
                return SdpResult.Rejected.because("no audio stream with an RTP profile to relay (SDES SRTP-1 is RTP/SAVP; "
                        + "DTLS-SRTP is not supported)");
            }
            MediaDescription md = p.media.get(index);
            String proto = proto(md);
            Endpoint offerer = endpoint(p.sdp, md);
            return from == Side.TRUNK ? offerFromTrunk(p, index, proto, offerer, security, toward)
                    : offerFromInside(p, index, proto, offerer, security, toward);
        } catch (IllegalArgumentException e) {
            return SdpResult.Rejected.because("unusable SDP offer: " + e.getMessage());
        }
    }

    private SdpResult offerFromTrunk(Parsed p, int index, String proto, Endpoint offerer, MediaSecurity security,
            Supplier<RelayAddress> toward) {
        boolean secure = secure(proto);
        List<CryptoAttribute> lines = cryptoLines(p.media.get(index));
        if (secure && security == MediaSecurity.OFF) {
            return SdpResult.Rejected.because("SRTP-2: media.srtp is off on this trunk but the offer is " + proto);
        }
        if (!secure && security == MediaSecurity.REQUIRED) {
            return SdpResult.Rejected.because("SRTP-1/SRTP-2: this trunk requires SRTP (RTP/SAVP with a=crypto), "
                    + "the offer is " + proto);
        }
        CryptoAttribute chosen = null;
        // OPTIONAL also takes best-effort SRTP: RTP/AVP carrying a=crypto
        if (secure || security == MediaSecurity.OPTIONAL) {
            List<String> refusals = new ArrayList<>();
            for (CryptoAttribute line : lines) {
                if (line.refusal().isEmpty()) {
                    chosen = line; // the first offered suite we support wins
                    break;
                }
                refusals.add(line.refusal().get());
            }
            if (chosen == null && secure) {
                return SdpResult.Rejected.because("SRTP-1: no usable a=crypto in the RTP/SAVP offer"
                        + (refusals.isEmpty() ? "" : " (" + String.join("; ", refusals) + ")"));
            }
        }
        MasterKey answerKey = chosen == null ? null : MasterKey.generate(chosen.suite().orElseThrow(), random);
        String sdp = rewrite(p.sdp, p.media, index, toward.get(), plain(proto), List.of(), offerer.rtcpMux());
        PendingOffer pending = new PendingOffer(Side.TRUNK, security, index, proto, offerer, chosen, answerKey, Map.of());
        return new SdpResult.Offered(p.body.with(sdp), pending);
    }

    private SdpResult offerFromInside(Parsed p, int index, String proto, Endpoint offerer, MediaSecurity security,
            Supplier<RelayAddress> toward) {
        if (secure(proto)) {
            return SdpResult.Rejected.because("the inside leg carries plain RTP, but the inside offered " + proto);
        }
        Map<Integer, MasterKey> keys = new LinkedHashMap<>();
        List<String> crypto = new ArrayList<>();
        if (security != MediaSecurity.OFF) {
            int tag = 1;
            for (CryptoSuite suite : CryptoSuite.OFFERED) {
                MasterKey key = MasterKey.generate(suite, random);
                keys.put(tag, key);
                crypto.add(CryptoAttribute.of(tag, key).format());
                tag++;
            }
        }
        // REQUIRED: RTP/SAVP (SRTP-1). OPTIONAL: RTP/AVP with a=crypto, so a plain remote can still answer.
        String offered = security == MediaSecurity.REQUIRED ? secureProto(proto) : proto;
        String sdp = rewrite(p.sdp, p.media, index, toward.get(), offered, crypto, offerer.rtcpMux());
        PendingOffer pending = new PendingOffer(Side.INSIDE, security, index, proto, offerer, null, null, keys);
        return new SdpResult.Offered(p.body.with(sdp), pending);
    }

    /**
     * The answer to {@code offer} arrived from {@code from} (the other side than the offer's).
     *
     * @param toward the relay's address and ports on the offerer's side
     */
    public SdpResult answer(String contentType, byte[] body, Side from, PendingOffer offer, RelayAddress toward) {
        if (from == offer.from()) {
            throw new IllegalArgumentException("an answer comes from the side that did not offer");
        }
        try {
            Parsed p = Parsed.of(contentType, body);
            int index = offer.mediaIndex();
            if (p.media.size() <= index) {
                return SdpResult.Rejected.because("the SDP answer has " + p.media.size() + " m-lines, the relayed one was #"
                        + (index + 1));
            }
            MediaDescription md = p.media.get(index);
            if (port(md) == 0) {
                String sdp = rewrite(p.sdp, p.media, -1, toward, offer.offererProto(), List.of(), false);
                return new SdpResult.Answered(p.body.with(sdp), new MediaPlan(-1, Endpoint.NONE, Endpoint.NONE, null));
            }
            return from == Side.INSIDE ? answerFromInside(p, md, offer, toward) : answerFromTrunk(p, md, offer, toward);
        } catch (IllegalArgumentException e) {
            return SdpResult.Rejected.because("unusable SDP answer: " + e.getMessage());
        }
    }

    private SdpResult answerFromInside(Parsed p, MediaDescription md, PendingOffer offer, RelayAddress toward) {
        if (secure(proto(md))) {
            return SdpResult.Rejected.because("the inside leg carries plain RTP, but the inside answered " + proto(md));
        }
        Endpoint offerer = offer.offerer();
        Endpoint inside = endpoint(p.sdp, md, offerer.rtcpMux() && hasAttribute(md, "rtcp-mux"));
        CryptoAttribute remote = offer.remoteCrypto();
        List<String> crypto = remote == null ? List.of()
                : List.of(CryptoAttribute.of(remote.tag(), offer.answerKey()).format()); // same tag (RFC 4568 5.1.2)
        String sdp = rewrite(p.sdp, p.media, offer.mediaIndex(), toward, offer.offererProto(), crypto, offerer.rtcpMux());
        SrtpKeys keys = remote == null ? null : new SrtpKeys(remote.masterKey(), remote.mki(), offer.answerKey());
        return new SdpResult.Answered(p.body.with(sdp), new MediaPlan(offer.mediaIndex(), offerer, inside, keys));
    }

    private SdpResult answerFromTrunk(Parsed p, MediaDescription md, PendingOffer offer, RelayAddress toward) {
        String proto = proto(md);
        boolean secure = secure(proto);
        MediaSecurity security = offer.security();
        if (!secure && security == MediaSecurity.REQUIRED) {
            return SdpResult.Rejected.because("SRTP-1/SRTP-2: this trunk requires SRTP, the answer is " + proto);
        }
        if (secure && security == MediaSecurity.OFF) {
            return SdpResult.Rejected.because("SRTP-2: media.srtp is off on this trunk but the answer is " + proto);
        }
        CryptoAttribute chosen = null;
        if (security != MediaSecurity.OFF) {
            for (CryptoAttribute line : cryptoLines(md)) {
                MasterKey ours = offer.offeredKeys().get(line.tag());
                if (line.refusal().isEmpty() && ours != null && line.suite().orElseThrow() == ours.suite()) {
                    chosen = line;
                    break;
                }
            }
        }
        if (chosen == null && secure) {
            return SdpResult.Rejected.because("SRTP-1: the RTP/SAVP answer carries no a=crypto matching a tag and suite we offered");
        }
        Endpoint offerer = offer.offerer();
        Endpoint trunk = endpoint(p.sdp, md, offerer.rtcpMux() && hasAttribute(md, "rtcp-mux"));
        String sdp = rewrite(p.sdp, p.media, offer.mediaIndex(), toward, offer.offererProto(), List.of(), offerer.rtcpMux());
        SrtpKeys keys = chosen == null ? null
                : new SrtpKeys(chosen.masterKey(), chosen.mki(), offer.offeredKeys().get(chosen.tag()));
        return new SdpResult.Answered(p.body.with(sdp), new MediaPlan(offer.mediaIndex(), trunk, offerer, keys));
    }

    /** The SDP body and its parsed form. */
    private record Parsed(SdpBody body, SessionDescription sdp, List<MediaDescription> media) {

        static Parsed of(String contentType, byte[] bytes) {
            SdpBody body = SdpBody.locate(contentType, bytes);
            SessionDescription sdp;
            List<MediaDescription> media = new ArrayList<>();
            try {
                String text = body.sdp();
                // JAIN-SIP's field parsers print what they reject: kept off the console (issue #17)
                sdp = LibraryOutput.quietly(() -> SdpFactory.getInstance().createSessionDescription(text));
                Vector<?> v = sdp.getMediaDescriptions(false);
                if (v != null) {
                    for (Object o : v) {
                        media.add((MediaDescription) o);
                    }
                }
            } catch (SdpException e) {
                throw new IllegalArgumentException("SDP does not parse: " + e.getMessage());
            }
            // JAIN-SIP's parser is lenient (it accepts garbage): require the lines RFC 8866 makes mandatory
            if (sdp.getVersion() == null || sdp.getOrigin() == null || media.isEmpty()) {
                throw new IllegalArgumentException("SDP lacks v=, o= or m= lines");
            }
            return new Parsed(body, sdp, media);
        }
    }

    static int relayedIndex(List<MediaDescription> media) {
        for (int i = 0; i < media.size(); i++) {
            MediaDescription md = media.get(i);
            if ("audio".equals(field(() -> md.getMedia().getMediaType())) && port(md) != 0 && RELAYABLE.contains(proto(md))) {
                return i;
            }
        }
        return -1;
    }

    static List<CryptoAttribute> cryptoLines(MediaDescription md) {
        List<CryptoAttribute> lines = new ArrayList<>();
        for (Attribute a : attributes(md.getAttributes(false))) {
            if ("crypto".equals(field(a::getName))) {
                lines.add(CryptoAttribute.parse(field(a::getValue)));
            }
        }
        return lines;
    }

    private static Endpoint endpoint(SessionDescription sdp, MediaDescription md) {
        return endpoint(sdp, md, hasAttribute(md, "rtcp-mux"));
    }

    /**
     * c= (media level first), m= port, a=rtcp (RFC 3605) or port+1; with rtcp-mux RTCP shares the RTP port. What
     * cannot be an endpoint is refused here, before any port is taken (issue #17): no c= for the stream (RFC 8866
     * 5.7), a port out of 0-65535 (RFC 8866 5.14), an IPv4 address that is not one (c=IN IP4 127.0.0.300).
     */
    private static Endpoint endpoint(SessionDescription sdp, MediaDescription md, boolean mux) {
        Connection c = md.getConnection() != null ? md.getConnection() : sdp.getConnection();
        if (c == null) {
            throw new IllegalArgumentException("no c= line for the relayed stream, at session or media level (RFC 8866 5.7)");
        }
        String address = field(c::getAddress);
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("the c= line has no address (RFC 8866 5.7)");
        }
        int slash = address.indexOf('/');
        address = slash >= 0 ? address.substring(0, slash) : address;
        int port = checkedPort(port(md), "m=");
        if (port == 0 || address.equals("0.0.0.0")) {
            return new Endpoint(null, null, mux);
        }
        int rtcpPort = port + 1;
        String rtcp = attribute(md, "rtcp");
        if (rtcp != null) {
            try {
                rtcpPort = Integer.parseInt(rtcp.trim().split("\\s+")[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a=rtcp is not a port: " + rtcp);
            }
        }
        if (!mux) {
            checkedPort(rtcpPort, rtcp != null ? "a=rtcp" : "the RTCP (m= port + 1)");
        }
        return new Endpoint(socket(address, port), socket(address, mux ? port : rtcpPort), mux);
    }

    /** A port an SDP gives: 0 (a disabled stream) to 65535 (RFC 8866 5.14), else refused with what gave it. */
    private static int checkedPort(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " port " + port + " is out of range 0-65535 (RFC 8866 5.14)");
        }
        return port;
    }

    /**
     * Literal addresses only are resolved here (no DNS in a pure function, nor on the event loop running it); a name
     * stays unresolved. A dotted-decimal that is not an IPv4 address is refused: the JDK would look it up as a name.
     */
    private static InetSocketAddress socket(String address, int port) {
        if (!IP_LITERAL.matcher(address).matches()) {
            return InetSocketAddress.createUnresolved(address, port);
        }
        if (address.indexOf(':') < 0 && !isIpv4(address)) {
            throw new IllegalArgumentException("c= address " + address + " is not an IPv4 address (RFC 8866 5.7)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("c= address " + address + " is not an address (RFC 8866 5.7)");
        }
    }

    /** Four decimal parts of 0-255 (RFC 8866 5.7, IP4-address of RFC 4566 9). */
    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * The SDP for the other side: our address in o= and c=, the relayed m-line on our port with the given
     * profile and crypto lines, every other m-line disabled (port 0), transport/key attributes removed.
     */
    private static String rewrite(SessionDescription sdp, List<MediaDescription> media, int relayed, RelayAddress toward,
            String proto, List<String> crypto, boolean rtcpMux) {
        SdpFactory factory = SdpFactory.getInstance();
        String addrType = toward.address().contains(":") ? "IP6" : "IP4";
        try {
            sdp.getOrigin().setAddress(toward.address());
            sdp.getOrigin().setAddressType(addrType);
            sdp.setConnection(factory.createConnection("IN", addrType, toward.address()));
            sdp.setAttributes(kept(sdp.getAttributes(false)));
            for (int i = 0; i < media.size(); i++) {
                MediaDescription md = media.get(i);
                ((MediaDescriptionImpl) md).setConnectionField(null);
                Vector<Attribute> attributes = kept(md.getAttributes(false));
                if (i == relayed) {
                    md.getMedia().setMediaPort(toward.rtpPort());
                    md.getMedia().setProtocol(proto);
                    for (String value : crypto) {
                        attributes.add(factory.createAttribute("crypto", value));
                    }
                    if (rtcpMux) {
                        attributes.add(factory.createAttribute("rtcp-mux", null));
                    }
                } else {
                    md.getMedia().setMediaPort(0);
                }
                md.setAttributes(attributes);
            }
        } catch (SdpException e) {
            throw new IllegalStateException("rewriting SDP failed", e);
        }
        return sdp.toString();
    }

    private static Vector<Attribute> kept(Vector<?> attributes) {
        Vector<Attribute> kept = new Vector<>();
        for (Attribute a : attributes(attributes)) {
            if (!DROPPED.contains(field(a::getName).toLowerCase(Locale.ROOT))) {
                kept.add(a);
            }
        }
        return kept;
    }

    private static List<Attribute> attributes(Vector<?> v) {
        List<Attribute> list = new ArrayList<>();
        if (v != null) {
            for (Object o : v) {
                list.add((Attribute) o);
            }
        }
        return list;
    }

    private static boolean hasAttribute(MediaDescription md, String name) {
        return attributes(md.getAttributes(false)).stream().anyMatch(a -> name.equals(field(a::getName)));
    }

    private static String attribute(MediaDescription md, String name) {
        return attributes(md.getAttributes(false)).stream().filter(a -> name.equals(field(a::getName)))
                .map(a -> field(a::getValue)).findFirst().orElse(null);
    }

    static int port(MediaDescription md) {
        return field(() -> md.getMedia().getMediaPort());
    }

    static String proto(MediaDescription md) {
        return field(() -> md.getMedia().getProtocol()).toUpperCase(Locale.ROOT);
    }

    static boolean secure(String proto) {
        return proto.contains("SAVP");
    }

    static String plain(String proto) {
        return proto.replace("SAVP", "AVP");
    }

    static String secureProto(String proto) {
        return secure(proto) ? proto : proto.replace("AVP", "SAVP");
    }

    /** JAIN-SIP getters declare SdpParseException although the values are already parsed. */
    private interface SdpGetter<T> {
        T get() throws SdpException;
    }

    private static <T> T field(SdpGetter<T> getter) {
        try {
            return getter.get();
        } catch (SdpException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
