package io.trunkgate.routing;

/** Which side of the spec we stand on for one trunk (TLS-7: the spec is symmetric). */
public enum Role {
    /** We are the customer endpoint: the remote is the cloud edge (trusted through one root, CERT-3). */
    CUSTOMER,
    /** We are the cloud edge: the remote is a customer endpoint (public CA families, CERT-4). */
    CLOUD
}
