/**
 * SIP messages: parsing into JAIN-SIP objects (with a direct path for plain lines), responses we build ourselves,
 * and the steps {@code sipParse}, {@code sipOptions}, {@code sipUri} (URI-1..5) and {@code sipFailure}. Uses
 * {@code flow} and {@code transport}.
 */
package io.trunkgate.sip;

