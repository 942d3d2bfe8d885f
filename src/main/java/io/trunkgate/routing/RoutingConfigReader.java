package io.trunkgate.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.trunkgate.config.ConfigException;
import io.trunkgate.media.sdp.MediaSecurity;
import io.trunkgate.sip.SipUriParser;
import io.trunkgate.sip.SipUriParts;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/** Reads and validates trunks.yaml and regions.yaml (schema: docs/configuration-trunks.md). */
final class RoutingConfigReader {

    static final String TRUNKS = "trunks.yaml";
    static final String REGIONS = "regions.yaml";
    static final int DEFAULT_PORT = 5061;

    private RoutingConfigReader() {
    }

    static RoutingConfig read(Path dir) {
        Path trunksFile = dir.resolve(TRUNKS);
        Path regionsFile = dir.resolve(REGIONS);
        List<String> warnings = new ArrayList<>();
        Map<String, Region> regions = Files.isRegularFile(regionsFile)
                ? regions(load(regionsFile), warnings) : Map.of();
        if (!Files.isRegularFile(trunksFile)) {
            throw new ConfigException(trunksFile.toString(), "is missing: the trunks are configured there"
                    + " (trunkgate.config.dir names the folder)");
        }
        ConfigNode root = load(trunksFile).allowOnly("trunks", "routing");
        ConfigNode routing = root.get("routing").allowOnly("inbound", "outbound", "default-trunk");
        List<InboundMethod> inbound = order(routing.get("inbound"), InboundMethod.class,
                RoutingConfig.DEFAULT_INBOUND, "ROUTE-1..3");
        List<OutboundMethod> outbound = order(routing.get("outbound"), OutboundMethod.class,
                RoutingConfig.DEFAULT_OUTBOUND, "outbound selection");

        List<Trunk> trunks = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        Map<String, String> groups = new HashMap<>();
        if (!root.get("trunks").present()) {
            throw root.get("trunks").fail("is required: a list of trunks (may be empty: [])");
        }
        for (ConfigNode t : root.get("trunks").list()) {
            Trunk trunk = trunk(t, dir, regions, regionsFile);
            String before = ids.putIfAbsent(trunk.id(), t.path());
            if (before != null) {
                throw t.get("id").fail("'" + trunk.id() + "' is already the id of " + before + ": ids are unique");
            }
            if (trunk.tgrp() != null) {
                String key = trunk.tgrp() + ";" + trunk.trunkContext();
                String other = groups.putIfAbsent(key, trunk.id());
                if (other != null) {
                    throw t.get("tgrp").fail("'" + trunk.tgrp() + "' with trunk-context '" + trunk.trunkContext()
                            + "' is already trunk " + other + "'s: TGRP routing needs a unique pair (ROUTE-1)");
                }
            }
            trunks.add(trunk);
        }
        String defaultTrunk = routing.get("default-trunk").text();
        if (defaultTrunk != null && !ids.containsKey(defaultTrunk)) {
            throw routing.get("default-trunk").fail("'" + defaultTrunk + "' is not the id of a trunk");
        }
        if (outbound.contains(OutboundMethod.DEFAULT) && defaultTrunk == null && routing.get("outbound").present()) {
            warnings.add(trunksFile + ": routing.outbound lists default but routing.default-trunk is not set");
        }
        return new RoutingConfig(dir, trunks, regions, inbound, outbound, defaultTrunk, warnings);
    }

    private static ConfigNode load(Path file) {
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).setSchema(new FailsafeSchema())
                .setAllowDuplicateKeys(false).build();
        try {
            Object doc = new Load(settings).loadFromString(Files.readString(file));
            return new ConfigNode(file.toString(), "", doc);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage(), e);
        } catch (YamlEngineException e) {
            throw new ConfigException(file + ": is not valid YAML: " + e.getMessage().replace('\n', ' '), e);
        }
    }

    private static <E extends Enum<E>> List<E> order(ConfigNode node, Class<E> type, List<E> fallback, String id) {
        if (!node.present()) {
            return fallback;
        }
        List<E> out = new ArrayList<>();
        for (ConfigNode item : node.list()) {
            E e = item.choice(type, null, id);
            if (out.contains(e)) {
                throw item.fail("lists " + e.name().toLowerCase(Locale.ROOT) + " twice (" + id + ")");
            }
            out.add(e);
        }
        if (out.isEmpty()) {
            throw node.fail("must list at least one method (" + id + ")");
        }
        return out;
    }

    // regions.yaml ---------------------------------------------------------------------------------------------

    private static Map<String, Region> regions(ConfigNode root, List<String> warnings) {
        root.allowOnly("regions");
        ConfigNode regionsNode = root.get("regions");
        Map<?, ?> map = regionsNode.map();
        if (map == null) {
            throw regionsNode.fail("is required: region name -> proxies (REGION-1)");
        }
        Map<String, Region> regions = new LinkedHashMap<>();
        Map<String, String> owner = new HashMap<>();
        Set<String> reported = new HashSet<>();
        for (Object key : map.keySet()) {
            String name = String.valueOf(key).trim();
            ConfigNode r = regionsNode.get(String.valueOf(key)).allowOnly("proxies");
            if (!name.matches("[a-z0-9][a-z0-9-]*")) {
                throw r.fail("is not a region name (lower-case letters, digits, hyphens) (REGION-1)");
            }
            List<ConfigNode> proxies = r.get("proxies").list();
            if (proxies.size() != 4) {
                throw r.get("proxies").fail("must list exactly 4 proxy host names, lb01..lb04, not " + proxies.size()
                        + " (REGION-1)");
            }
            List<String> names = new ArrayList<>();
            for (ConfigNode p : proxies) {
                String host = p.required("a proxy host name (REGION-1)").toLowerCase(Locale.ROOT);
                String problem = HostNames.problem(host);
                if (problem != null) {
                    throw p.fail("'" + host + "' " + problem);
                }
                if (names.contains(host)) {
                    throw p.fail("'" + host + "' is listed twice: a region has 4 distinct proxies (REGION-1)");
                }
                names.add(host);
                String other = owner.putIfAbsent(host, name);
                if (other != null && reported.add(other + "/" + name)) {
                    // regions.md: several source rows repeat another region's names (a copy error): say so, do not stop
                    warnings.add(root.file() + ": regions " + other + " and " + name
                            + " share proxy names (e.g. " + host + "): check the table against the provider (REGION-1)");
                }
            }
            regions.put(name, new Region(name, names));
        }
        return regions;
    }

    // trunks.yaml ----------------------------------------------------------------------------------------------

    private static Trunk trunk(ConfigNode t, Path dir, Map<String, Region> regions, Path regionsFile) {
        t.allowOnly("id", "role", "tgrp", "trunk-context", "inbound", "remote", "inside", "media", "outbound", "limits");
        String id = t.get("id").required("a unique trunk id");
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw t.get("id").fail("'" + id + "' must be letters, digits, '.', '_' or '-'");
        }
        Role role = t.get("role").choice(Role.class, null, "TLS-7");
        String tgrp = t.get("tgrp").text();
        String context = t.get("trunk-context").text();
        if (tgrp != null && !tgrp.matches("[A-Za-z0-9\\-_.!~*'()/&+$]+")) {
            throw t.get("tgrp").fail("'" + tgrp + "' is not a trunk group label (RFC 4904: letters, digits,"
                    + " -_.!~*'()/&+$) (URI-4)");
        }
        if (tgrp != null && context == null) {
            throw t.get("trunk-context").fail("is required with tgrp: a tgrp only means something in its"
                    + " trunk-context (RFC 4904, URI-5, ROUTE-1)");
        }
        if (context != null) {
            if (tgrp == null) {
                throw t.get("tgrp").fail("is required with trunk-context (URI-4, ROUTE-1)");
            }
            if (!context.matches("\\+[0-9().-]+") && HostNames.problem(context) != null) {
                throw t.get("trunk-context").fail("'" + context + "' must be a domain name or a global number"
                        + " (+digits) (RFC 4904, URI-5)");
            }
            context = context.toLowerCase(Locale.ROOT);
        }

        ConfigNode in = t.get("inbound").allowOnly("sources", "dnis", "fqdn");
        List<AddressRange> sources = new ArrayList<>();
        for (ConfigNode s : in.get("sources").list()) {
            try {
                sources.add(AddressRange.parse(s.required("an address or CIDR block (TLS-7)")));
            } catch (IllegalArgumentException e) {
                throw s.fail(e.getMessage() + " (TLS-7)");
            }
        }
        if (sources.isEmpty()) {
            throw in.get("sources").fail("is required: the remote's source addresses or CIDR blocks; only they may"
                    + " send on this trunk (TLS-7)");
        }
        List<NumberPattern> dnis = patterns(in.get("dnis"), "ROUTE-2");
        List<String> fqdn = new ArrayList<>();
        for (ConfigNode f : in.get("fqdn").list()) {
            String name = f.required("a domain name (ROUTE-3)").toLowerCase(Locale.ROOT);
            if (HostNames.problem(name) != null || SipUriParser.isIpLiteral(name)) {
                throw f.fail("'" + name + "' must be a domain name (ROUTE-3)");
            }
            fqdn.add(name);
        }

        Remote remote = remote(t.get("remote"), dir, regions, regionsFile);

        ConfigNode inside = t.get("inside").allowOnly("target");
        String target = inside.get("target").required("the inside SIP URI (the PBX), e.g."
                + " \"sip:127.0.0.1:5060;transport=udp\"");
        try {
            SipUriParts parts = SipUriParser.parse(target);
            if (parts.host() == null) {
                throw inside.get("target").fail("'" + target + "' must be a sip: or sips: URI with a host (URI-1)");
            }
            if (!parts.warnings().isEmpty()) {
                throw inside.get("target").fail("'" + target + "': " + parts.warnings().get(0));
            }
        } catch (java.text.ParseException e) {
            throw inside.get("target").fail("'" + target + "' is not a SIP URI: " + e.getMessage());
        }

        MediaSecurity srtp = t.get("media").allowOnly("srtp").get("srtp").choice(MediaSecurity.class, MediaSecurity.REQUIRED,
                "SRTP-2");
        List<NumberPattern> outboundNumbers = patterns(t.get("outbound").allowOnly("numbers").get("numbers"),
                "outbound number selection");
        ConfigNode limits = t.get("limits").allowOnly("max-calls", "calls-per-second");
        TrunkLimits trunkLimits = new TrunkLimits(limits.get("max-calls").count(0, "overload protection"),
                limits.get("calls-per-second").count(0, "overload protection"));
        return new Trunk(id, role, tgrp, context, sources, dnis, fqdn, remote, target, srtp, outboundNumbers, trunkLimits);
    }

    private static List<NumberPattern> patterns(ConfigNode node, String id) {
        List<NumberPattern> out = new ArrayList<>();
        for (ConfigNode p : node.list()) {
            try {
                out.add(NumberPattern.parse(p.required("a number pattern (" + id + ")")));
            } catch (IllegalArgumentException e) {
                throw p.fail(e.getMessage() + " (" + id + ")");
            }
        }
        return out;
    }

    private static Remote remote(ConfigNode r, Path dir, Map<String, Region> regions, Path regionsFile) {
        if (!r.present()) {
            throw r.fail("is required: region, hosts or srv (REGION-1, ROUTE-4, ROUTE-5)");
        }
        r.allowOnly("region", "hosts", "srv", "port", "trust");
        int given = (r.get("region").present() ? 1 : 0) + (r.get("hosts").present() ? 1 : 0)
                + (r.get("srv").present() ? 1 : 0);
        if (given != 1) {
            throw r.fail("must have exactly one of region, hosts, srv, not " + given + " (REGION-1, ROUTE-4, ROUTE-5)");
        }
        int port = r.get("port").port(DEFAULT_PORT, "TLS-3");
        String regionName = r.get("region").text();
        String srv = r.get("srv").text();
        List<String> hosts = new ArrayList<>();
        if (regionName != null) {
            Region region = regions.get(regionName);
            if (region == null) {
                throw r.get("region").fail("'" + regionName + "' is not a region of " + regionsFile
                        + (regions.isEmpty() ? " (the file is missing)" : " (known: " + String.join(", ", regions.keySet())
                        + ")") + " (REGION-1)");
            }
            hosts.addAll(region.proxies());
        } else if (srv != null) {
            srv = srv.toLowerCase(Locale.ROOT);
            if (!srv.startsWith("_sips._tcp.")) {
                throw r.get("srv").fail("'" + srv + "' must be a _sips._tcp. name: SRV for TLS (ROUTE-4)");
            }
            if (r.get("port").present()) {
                throw r.get("port").fail("must not be set with srv: the SRV records give the ports (ROUTE-4)");
            }
            String domain = srv.substring("_sips._tcp.".length());
            if (HostNames.problem(domain) != null) {
                throw r.get("srv").fail("'" + srv + "' must be _sips._tcp. and a domain name (ROUTE-4)");
            }
        } else {
            List<ConfigNode> items = r.get("hosts").list();
            for (ConfigNode h : items) {
                String host = h.required("a proxy host name (ROUTE-5)").toLowerCase(Locale.ROOT);
                String problem = HostNames.problem(host);
                if (problem != null) {
                    throw h.fail("'" + host + "' " + problem);
                }
                if (hosts.contains(host)) {
                    throw h.fail("'" + host + "' is listed twice (ROUTE-5)");
                }
                hosts.add(host);
            }
        }
        String trust = r.get("trust").text();
        if (trust != null) {
            if (trust.contains("/") || trust.matches(".*\\.(pem|crt|cer)")) {
                Path file = dir.resolve(trust);
                if (!Files.isRegularFile(file)) {
                    throw r.get("trust").fail("'" + trust + "': no such PEM file (" + file + ") (CERT-1, CERT-2)");
                }
                trust = file.toString();
            } else if (!trust.matches("[a-z0-9][a-z0-9-]*")) {
                throw r.get("trust").fail("'" + trust + "' must be a trust profile name or a PEM file (CERT-1)");
            }
        }
        return new Remote(regionName, hosts, srv, port, trust);
    }
}
