package io.trunkgate.cert;

import java.util.Objects;

/**
 * The name a peer's certificate must carry: the host we dialled, or, when the host came from a DNS SRV record, the
 * SRV target; the {@code _sips._tcp} owner name is kept only for messages (CERT-12: public CAs allow no
 * underscores, so the owner name can never be in a certificate).
 */
public record PeerName(String host, String srvOwner) {

    public PeerName {
        Objects.requireNonNull(host, "host");
    }

    /** A host dialled directly (a URI host, a configured proxy name). */
    public static PeerName dialled(String host) {
        return new PeerName(host, null);
    }

    /** A host found through SRV: {@code target} is checked, {@code owner} never is (CERT-12). */
    public static PeerName viaSrv(String owner, String target) {
        return new PeerName(target, Objects.requireNonNull(owner, "owner"));
    }

    public boolean viaSrv() {
        return srvOwner != null;
    }

    @Override
    public String toString() {
        return viaSrv() ? host + " (SRV target of " + srvOwner + ")" : host;
    }
}
