#!/usr/bin/python3
"""INVITE -> 200 times (ms, microsecond timestamps) from a loopback pcap of SIPp's plain TCP connection.

Usage: sip-latency.py FILE.pcap PORT > times.txt   (PORT: the stunnel accept port SIPp talks to)
Requests are what goes to PORT, responses what comes from it; each direction is reassembled by TCP sequence
number and cut into SIP messages by Content-Length (RFC 3261 18.3). A message's time is the capture time of the
segment that completes it. For each Call-ID: first INVITE sent -> first 200 for CSeq INVITE received.
Prints one time per line (ms); the capture's own drop count goes to stderr (tcpdump reports it too).
"""
import re
import struct
import sys


def packets(path):
    with open(path, 'rb') as f:
        head = f.read(24)
        magic = struct.unpack('<I', head[:4])[0]
        endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
        nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
        link = struct.unpack(endian + 'I', head[20:24])[0]
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            sec, frac, incl, _ = struct.unpack(endian + 'IIII', rec)
            data = f.read(incl)
            yield sec + frac / (1e9 if nano else 1e6), link, data


def tcp_segments(path):
    for ts, link, d in packets(path):
        off = {1: 14, 113: 16, 276: 20, 0: 4}.get(link)
        if off is None or len(d) < off + 20:
            continue
        ip = d[off:]
        if ip[0] >> 4 != 4 or ip[9] != 6:
            continue
        ihl = (ip[0] & 15) * 4
        total = struct.unpack('!H', ip[2:4])[0]
        tcp = ip[ihl:total]
        sport, dport, seq = struct.unpack('!HHI', tcp[:8])
        doff = (tcp[12] >> 4) * 4
        payload = tcp[doff:]
        if payload:
            yield ts, sport, dport, seq, payload


def messages(segments):
    """(ts, bytes) of complete SIP messages of one direction, in order."""
    buf = b''
    expected = None
    for ts, seq, payload in segments:
        if expected is not None:
            delta = (seq - expected) & 0xffffffff
            if delta >= 0x80000000:  # old data (retransmission): keep only the new tail
                skip = (expected - seq) & 0xffffffff
                if skip >= len(payload):
                    continue
                payload = payload[skip:]
                seq = expected
        expected = (seq + len(payload)) & 0xffffffff
        buf += payload
        while True:
            buf = buf.lstrip(b'\r\n')
            end = buf.find(b'\r\n\r\n')
            if end < 0:
                break
            m = re.search(rb'(?im)^(?:content-length|l)[ \t]*:[ \t]*(\d+)', buf[:end + 2])
            length = end + 4 + (int(m.group(1)) if m else 0)
            if len(buf) < length:
                break
            yield ts, buf[:length]
            buf = buf[length:]


def header(msg, name, short):
    m = re.search(rb'(?im)^(?:' + name + rb'|' + short + rb')[ \t]*:[ \t]*(.*?)\r?$', msg)
    return m.group(1).strip() if m else None


def main():
    path, port = sys.argv[1], int(sys.argv[2])
    up, down = [], []
    for ts, sport, dport, seq, payload in tcp_segments(path):
        if dport == port:
            up.append((ts, seq, payload))
        elif sport == port:
            down.append((ts, seq, payload))
    invites = {}
    for ts, msg in messages(up):
        if msg.startswith(b'INVITE '):
            invites.setdefault(header(msg, b'call-id', b'i'), ts)
    done = set()
    for ts, msg in messages(down):
        if msg.startswith(b'SIP/2.0 200') and (header(msg, b'cseq', b'cseq') or b'').endswith(b'INVITE'):
            cid = header(msg, b'call-id', b'i')
            if cid in invites and cid not in done:
                done.add(cid)
                print('%.3f' % ((ts - invites[cid]) * 1000))
    print('invites %d, answered %d' % (len(invites), len(done)), file=sys.stderr)


if __name__ == '__main__':
    main()
