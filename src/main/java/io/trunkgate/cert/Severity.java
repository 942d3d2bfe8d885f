package io.trunkgate.cert;

/** How much a finding weighs: only ERROR makes a certificate invalid. */
public enum Severity {
    INFO, WARNING, ERROR
}
