package io.trunkgate.routing;

import java.util.List;

/** A cloud region and its four SIP proxies, lb01..lb04 (REGION-1): the targets of ROUTE-5. */
public record Region(String name, List<String> proxies) {
    public Region {
        proxies = List.copyOf(proxies);
    }
}
