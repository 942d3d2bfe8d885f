package io.trunkgate.flow;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A Camel service that is given its context before it starts (by {@code TrunkgateServices} or
 * {@code CamelContext.addService}): its threads come from the context's ExecutorServiceManager.
 */
public abstract class ContextService extends ServiceSupport implements CamelContextAware {

    private CamelContext camelContext;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
