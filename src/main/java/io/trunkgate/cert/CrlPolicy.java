package io.trunkgate.cert;

/**
 * What an unobtainable CRL means (CERT-9). A revoked certificate is refused under both; the policies differ only when
 * no CRL can be had and no valid cached copy exists.
 */
public enum CrlPolicy {
    /** Accept with a WARNING finding: an unreachable CRL server must not stop calls. */
    SOFT_FAIL("soft-fail"),
    /** Refuse with an ERROR finding. */
    HARD_FAIL("hard-fail");

    private final String word;

    CrlPolicy(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public static CrlPolicy of(String word) {
        for (CrlPolicy p : values()) {
            if (p.word.equals(word)) {
                return p;
            }
        }
        throw new IllegalArgumentException("not a CRL policy: " + word);
    }
}
