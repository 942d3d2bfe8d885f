package io.trunkgate;

import java.util.ArrayList;
import java.util.List;

import io.trunkgate.flow.TrunkgateBeans;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Service;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Starts, with the context and before its routes, whatever is bound under the service names of
 * {@link TrunkgateBeans#SERVICES} at that moment (trunkgate's defaults or an application's own), and stops them
 * with it in reverse order. Looked up at start, not at configuration, so a bean bound later (a YAML {@code beans:}
 * block) is the one that runs.
 */
final class TrunkgateServices extends ServiceSupport {

    private final CamelContext context;
    private final List<Service> started = new ArrayList<>();

    TrunkgateServices(CamelContext context) {
        this.context = context;
    }

    @Override
    protected void doStart() throws Exception {
        for (String name : TrunkgateBeans.SERVICES) {
            if (context.getRegistry().lookupByName(name) instanceof Service service && !started.contains(service)) {
                CamelContextAware.trySetCamelContext(service, context);
                ServiceHelper.startService(service);
                started.add(service);
            }
        }
    }

    @Override
    protected void doStop() {
        for (int i = started.size() - 1; i >= 0; i--) {
            ServiceHelper.stopAndShutdownService(started.get(i));
        }
        started.clear();
    }
}
