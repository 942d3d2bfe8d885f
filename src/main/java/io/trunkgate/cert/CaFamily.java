package io.trunkgate.cert;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The public CA families of CERT-4, each recognised by words of a root's organisation (O) attribute, since the
 * families' brands were bought and renamed over the years (USERTrust belongs to Sectigo, TeliaSonera is now Telia).
 */
public enum CaFamily {
    AMAZON("Amazon Trust Services", "amazon"),
    COMODO_SECTIGO("Comodo / Sectigo", "comodo", "sectigo", "usertrust"),
    DIGICERT("DigiCert / Symantec / QuoVadis / VeriSign", "digicert", "symantec", "quovadis", "verisign"),
    ENTRUST("Entrust", "entrust"),
    GLOBALSIGN("GlobalSign", "globalsign"),
    GODADDY_STARFIELD("GoDaddy / Starfield", "go daddy", "godaddy", "starfield"),
    NETWORK_SOLUTIONS("Network Solutions", "network solutions"),
    TELIASONERA("TeliaSonera", "teliasonera", "telia"),
    THAWTE("Thawte", "thawte");

    private final String label;
    private final List<Pattern> organisationWords;

    CaFamily(String label, String... organisationWords) {
        this.label = label;
        // whole words only: "IdenTrust" is not Entrust
        this.organisationWords = Arrays.stream(organisationWords)
                .map(w -> Pattern.compile("\\b" + Pattern.quote(w) + "\\b", Pattern.CASE_INSENSITIVE)).toList();
    }

    public String label() {
        return label;
    }

    /** True when an organisation name belongs to this family (case-insensitive word match). */
    public boolean matches(String organisation) {
        return organisationWords.stream().anyMatch(p -> p.matcher(organisation).find());
    }
}
