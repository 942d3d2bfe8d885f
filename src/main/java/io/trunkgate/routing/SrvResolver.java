package io.trunkgate.routing;

import java.io.IOException;
import java.util.List;

/** DNS SRV lookups for remote.srv (ROUTE-4), behind an interface so tests feed their own records. */
public interface SrvResolver {

    /** One SRV record (RFC 2782). */
    record SrvRecord(int priority, int weight, int port, String target) {
    }

    /** The records of {@code name} (e.g. _sips._tcp.example.com); empty when there are none. */
    List<SrvRecord> lookup(String name) throws IOException;
}
