package io.trunkgate.flow;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A bean of {@link TrunkgateBeans#SERVICES}: a Camel service that knows its context, since its threads come from
 * the context's ExecutorServiceManager and live only between its start and stop.
 */
public abstract class TrunkgateService extends ServiceSupport implements CamelContextAware {

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
