package io.trunkgate.routing;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.trunkgate.config.Settings;

/**
 * The routing configuration: trunks (config/trunks.yaml), regions (config/regions.yaml) and the selection orders,
 * validated and immutable. Loaded once at start-up ({@link #load(Settings)}); a bad file fails the load with a
 * {@link io.trunkgate.config.ConfigException} naming the file, the key, the rule and the requirement ID.
 */
public final class RoutingConfig {

    public static final List<InboundMethod> DEFAULT_INBOUND = List.of(InboundMethod.TGRP, InboundMethod.DNIS,
            InboundMethod.FQDN);
    public static final List<OutboundMethod> DEFAULT_OUTBOUND = List.of(OutboundMethod.TGRP, OutboundMethod.NUMBER,
            OutboundMethod.DEFAULT);

    private final Path dir;
    private final List<Trunk> trunks;
    private final Map<String, Trunk> byId;
    private final Map<String, Region> regions;
    private final List<InboundMethod> inboundOrder;
    private final List<OutboundMethod> outboundOrder;
    private final Trunk defaultTrunk;
    private final List<String> warnings;

    RoutingConfig(Path dir, List<Trunk> trunks, Map<String, Region> regions, List<InboundMethod> inboundOrder,
                  List<OutboundMethod> outboundOrder, String defaultTrunk, List<String> warnings) {
        this.dir = dir;
        this.trunks = List.copyOf(trunks);
        Map<String, Trunk> ids = new LinkedHashMap<>();
        trunks.forEach(t -> ids.put(t.id(), t));
        this.byId = Collections.unmodifiableMap(ids);
        this.regions = Collections.unmodifiableMap(new LinkedHashMap<>(regions));
        this.inboundOrder = List.copyOf(inboundOrder);
        this.outboundOrder = List.copyOf(outboundOrder);
        this.defaultTrunk = defaultTrunk == null ? null : ids.get(defaultTrunk);
        this.warnings = List.copyOf(warnings);
    }

    /** Reads DIR/trunks.yaml and DIR/regions.yaml. */
    public static RoutingConfig load(Path dir) {
        return RoutingConfigReader.read(dir);
    }

    /** Reads the folder named by trunkgate.config.dir (default: config). */
    public static RoutingConfig load(Settings settings) {
        return load(Path.of(settings.get("trunkgate.config.dir")));
    }

    public Path dir() {
        return dir;
    }

    /** In file order. */
    public List<Trunk> trunks() {
        return trunks;
    }

    public Optional<Trunk> trunk(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** By name, in file order. */
    public Map<String, Region> regions() {
        return regions;
    }

    public List<InboundMethod> inboundOrder() {
        return inboundOrder;
    }

    public List<OutboundMethod> outboundOrder() {
        return outboundOrder;
    }

    public Optional<Trunk> defaultTrunk() {
        return Optional.ofNullable(defaultTrunk);
    }

    /** Things start-up should log but that do not stop it (e.g. two regions sharing proxy names, REGION-1). */
    public List<String> warnings() {
        return warnings;
    }
}
