package io.trunkgate.embedding;

import java.util.Map;
import java.util.Optional;

import io.trunkgate.TrunkgateConfiguration;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.NextHop;
import io.trunkgate.flow.Side;
import io.trunkgate.tls.TrunkTls;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * The embedding application's configuration class, listed before {@code io.trunkgate.TrunkgateConfiguration}: it
 * binds its own {@code trunkRoute} and its own {@code trunkTls} (its own key pair and trust anchor), and trunkgate
 * binds its defaults only for the names left free. Its settings come from its own properties ({@code shop.*}) and
 * trunkgate's defaults, which it adds first.
 */
public class ShopConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        TrunkgateConfiguration.addDefaults(context.getPropertiesComponent()); // runs before trunkgate's own
        Settings app = Settings.of(context);
        context.getRegistry().bind("trunkRoute", new ShopTrunkRoute(
                new NextHop("127.0.0.1", app.getPort("shop.pbx-port"), "udp", Side.INSIDE),
                new NextHop("localhost", app.getPort("shop.remote-port"), "tls", Side.TRUNK)));
        String pki = app.get("shop.pki");
        Map<String, String> tls = Map.of(
                "trunkgate.tls.certificate", pki + "/server-chain.pem",
                "trunkgate.tls.private-key", pki + "/server.key",
                "trunkgate.tls.trust", pki + "/root.pem");
        context.getRegistry().bind("trunkTls", TrunkTls.create(new Settings(
                key -> tls.containsKey(key) ? Optional.of(tls.get(key)) : app.find(key)), context));
    }
}
