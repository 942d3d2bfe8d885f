package io.trunkgate;

import io.trunkgate.config.Settings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Binds trunkgate's beans (TLS contexts, pipeline factories, processors) into a Camel context. Used by
 * {@code run} through camel-main, and by an application that embeds trunkgate
 * ({@code camel.main.configuration-classes=io.trunkgate.TrunkgateConfiguration}).
 */
public class TrunkgateConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        addDefaults(context.getPropertiesComponent());
        Settings settings = Settings.of(context);
    }

    /** The shipped trunkgate.* defaults, at the lowest precedence, for keys nobody set. */
    static void addDefaults(PropertiesComponent pc) {
        Settings.defaults().forEach((k, v) -> {
            if (pc.resolveProperty((String) k).isEmpty()) {
                pc.addInitialProperty((String) k, (String) v);
            }
        });
    }
}
