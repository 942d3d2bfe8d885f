package io.trunkgate.observe;

import java.util.Optional;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The base of trunkgate's health checks (group {@code trunkgate}): readiness or liveness as each says, and the
 * beans it reads looked up by name at each call, so an application's replacement is the one checked.
 */
abstract class TrunkgateCheck extends AbstractHealthCheck {

    private final boolean readiness;
    private final boolean liveness;

    TrunkgateCheck(String id, boolean readiness, boolean liveness) {
        super("trunkgate", id);
        this.readiness = readiness;
        this.liveness = liveness;
    }

    @Override
    public boolean isReadiness() {
        return readiness;
    }

    @Override
    public boolean isLiveness() {
        return liveness;
    }

    <T> Optional<T> bean(String name, Class<T> type) {
        return Optional.ofNullable(getCamelContext().getRegistry().lookupByNameAndType(name, type));
    }
}
