package io.trunkgate.routing;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A CIDR block (or one address) of inbound.sources: the remote's published source addresses (TLS-7). */
public final class AddressRange {

    private final byte[] network;
    private final int prefix;
    private final String text;

    private AddressRange(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /**
     * Parses {@code 203.0.113.0/24}, {@code 203.0.113.7}, {@code 2001:db8::/32}. Only address literals: no name is
     * looked up. Throws IllegalArgumentException with the rule.
     */
    public static AddressRange parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes;
        try {
            bytes = literal(address).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be an IP address or CIDR block (e.g. 203.0.113.0/24), not '"
                    + text + "'");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix length must be 0.." + max + " in '" + text + "'");
            }
        }
        return new AddressRange(mask(bytes, prefix), prefix, s);
    }

    /**
     * An IPv4 or IPv6 address literal (brackets allowed) as an InetAddress, never looking a name up in DNS
     * ({@code InetAddress.getByName("999.1.1.1")} would). Throws IllegalArgumentException otherwise.
     */
    public static InetAddress literal(String text) {
        String a = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean ok;
        if (a.indexOf(':') >= 0) {
            ok = a.matches("[0-9A-Fa-f:.]+");  // IPv6 (with an optional embedded IPv4 tail): parsed as a literal
        } else {
            String[] parts = a.split("\\.", -1);
            ok = parts.length == 4;
            for (int i = 0; ok && i < 4; i++) {
                ok = parts[i].matches("[0-9]{1,3}") && Integer.parseInt(parts[i]) <= 255;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
    }

    public boolean contains(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != network.length) {
            // an IPv4-mapped IPv6 address (::ffff:a.b.c.d) compares as IPv4
            if (b.length == 16 && network.length == 4 && isMapped(b)) {
                byte[] v4 = new byte[4];
                System.arraycopy(b, 12, v4, 0, 4);
                b = v4;
            } else {
                return false;
            }
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (b[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int m = (0xff << (8 - rest)) & 0xff;
        return (b[full] & m) == (network[full] & 0xff);
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & ((0xff << (8 - bits)) & 0xff));
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
