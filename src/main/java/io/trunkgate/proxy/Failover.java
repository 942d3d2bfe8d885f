package io.trunkgate.proxy;

import java.util.Optional;

import io.trunkgate.flow.NextHop;

/**
 * Where a new call goes when its remote host fails (connection or TLS failure, 408, 503): the next proxy of the
 * trunk (ROUTE-5), with the Request-URI naming it, or empty when every host was tried.
 */
@FunctionalInterface
public interface Failover {

    record Retarget(NextHop hop, String requestUri) {
    }

    Optional<Retarget> after(String failedHost);

    Failover NONE = failedHost -> Optional.empty();
}
