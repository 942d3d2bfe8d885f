/** The command line: {@code run}, {@code pki dev}, {@code cert verify}, {@code route}, {@code check}. May use every package. */
package io.trunkgate.cli;

