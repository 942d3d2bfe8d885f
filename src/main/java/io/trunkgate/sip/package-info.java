/**
 * SIP messages: parsing into JAIN-SIP objects (with a direct path for plain lines, and JAIN-SIP's console output
 * kept off the console: {@code LibraryOutput}), responses we build ourselves, the checks of RFC 3261 16.3 / 8.2.2
 * ({@code RequestChecks}), which requests address the gateway itself ({@code LocalTarget}), and the steps
 * {@code sipParse}, {@code sipCheck}, {@code sipOptions}, {@code sipUri} (URI-1..5) and {@code sipFailure}. Uses
 * {@code flow}, {@code transport}, {@code limits} (refusals counted and summarised) and {@code config}.
 */
package io.trunkgate.sip;
