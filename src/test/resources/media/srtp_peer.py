#!/usr/bin/python3
"""An SRTP remote for trunkgate's relay tests: libsrtp (Debian python3-pylibsrtp) on a loopback UDP socket.

Usage: srtp_peer.py
Prints "port N" (its UDP port, to put in SDP), then answers one line per command read from stdin:
  keys TX_SUITE TX_KEY RX_SUITE RX_KEY   set the keys (base64 key||salt, as in a=crypto inline:) -> "ok"
  send HEX PORT   protect RTP/RTCP (by packet type) with TX, send to 127.0.0.1:PORT -> "sent HEX" (the SRTP bytes)
  protect HEX     protect with TX without sending (to tamper with it)           -> "sent HEX"
  raw HEX PORT    send bytes as they are (replays, tampered packets)            -> "sent HEX"
  recv MILLIS     receive one datagram, unprotect with RX -> "pkt HEX FROMPORT" | "err MESSAGE HEX" | "timeout"
  quit
"""
import base64
import socket
import sys

from pylibsrtp import Error, Policy, Session

PROFILES = {
    "AES_CM_128_HMAC_SHA1_80": Policy.SRTP_PROFILE_AES128_CM_SHA1_80,
    "AES_CM_128_HMAC_SHA1_32": Policy.SRTP_PROFILE_AES128_CM_SHA1_32,
    "AEAD_AES_128_GCM": Policy.SRTP_PROFILE_AEAD_AES_128_GCM,
    "AEAD_AES_256_GCM": Policy.SRTP_PROFILE_AEAD_AES_256_GCM,
}


def is_rtcp(packet):
    return len(packet) > 1 and 192 <= packet[1] <= 223  # RFC 5761 section 4


def main():
    tx = rx = None
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    print("port", sock.getsockname()[1], flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "keys":
            tx_suite, tx_key, rx_suite, rx_key = words[1:5]
            tx = Session(Policy(key=base64.b64decode(tx_key), ssrc_type=Policy.SSRC_ANY_OUTBOUND,
                                srtp_profile=PROFILES[tx_suite]))
            rx = Session(Policy(key=base64.b64decode(rx_key), ssrc_type=Policy.SSRC_ANY_INBOUND,
                                srtp_profile=PROFILES[rx_suite]))
            print("ok", flush=True)
        elif words[0] == "protect":
            packet = bytes.fromhex(words[1])
            print("sent", (tx.protect_rtcp(packet) if is_rtcp(packet) else tx.protect(packet)).hex(), flush=True)
        elif words[0] in ("send", "raw"):
            packet = bytes.fromhex(words[1])
            if words[0] == "send":
                packet = tx.protect_rtcp(packet) if is_rtcp(packet) else tx.protect(packet)
            sock.sendto(packet, ("127.0.0.1", int(words[2])))
            print("sent", packet.hex(), flush=True)
        elif words[0] == "recv":
            sock.settimeout(int(words[1]) / 1000.0)
            try:
                data, source = sock.recvfrom(2048)
            except socket.timeout:
                print("timeout", flush=True)
                continue
            try:
                plain = rx.unprotect_rtcp(data) if is_rtcp(data) else rx.unprotect(data)
                print("pkt", plain.hex(), source[1], flush=True)
            except Error as e:
                print("err", str(e).replace(" ", "_"), data.hex(), flush=True)
        else:
            print("err unknown_command", flush=True)


if __name__ == "__main__":
    main()
