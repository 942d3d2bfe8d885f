package io.trunkgate.routing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Collectors;

import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * SRV through the JDK's JNDI DNS provider: no extra dependency. It asks the system's resolvers, or the DNS servers of
 * {@code trunkgate.dns.servers} in their order (the next when one does not answer).
 */
public final class DnsSrvResolver implements SrvResolver {

    /** dns://a:53 dns://b:53, or null: the system's resolvers. */
    private final String providerUrl;

    /** The system's resolvers. */
    public DnsSrvResolver() {
        this(List.of());
    }

    /** @param servers the DNS servers to ask, in order; empty: the system's resolvers */
    public DnsSrvResolver(List<InetSocketAddress> servers) {
        this.providerUrl = servers.isEmpty() ? null : servers.stream()
                .map(s -> "dns://" + (s.getHostString().contains(":") ? "[" + s.getHostString() + "]" : s.getHostString())
                        + ":" + s.getPort())
                .collect(Collectors.joining(" "));
    }

    @Override
    public List<SrvRecord> lookup(String name) throws IOException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put("com.sun.jndi.dns.timeout.initial", "2000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        if (providerUrl != null) {
            env.put(Context.PROVIDER_URL, providerUrl);
        }
        DirContext ctx = null;
        try {
            ctx = new InitialDirContext(env);
            Attributes attrs = ctx.getAttributes(providerUrl != null ? name : "dns:///" + name, new String[] {"SRV"});
            Attribute srv = attrs.get("SRV");
            List<SrvRecord> out = new ArrayList<>();
            if (srv == null) {
                return out;
            }
            NamingEnumeration<?> values = srv.getAll();
            while (values.hasMore()) {
                String[] f = String.valueOf(values.next()).trim().split("\\s+");
                if (f.length == 4) {
                    String target = f[3].endsWith(".") ? f[3].substring(0, f[3].length() - 1) : f[3];
                    out.add(new SrvRecord(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), target));
                }
            }
            return out;
        } catch (NameNotFoundException e) {
            return List.of();
        } catch (NamingException | NumberFormatException e) {
            throw new IOException("SRV lookup of " + name + " failed: " + e.getMessage(), e);
        } finally {
            if (ctx != null) {
                try {
                    ctx.close();
                } catch (NamingException ignored) {
                    // nothing to release
                }
            }
        }
    }
}
