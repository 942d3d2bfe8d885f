package io.trunkgate.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Just enough bencode for rtpengine's ng control protocol: strings, integers, lists, dictionaries. */
final class Bencode {

    private Bencode() {
    }

    static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, value);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object v) {
        if (v instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(b);
        } else if (v instanceof Number n) {
            out.writeBytes(("i" + n.longValue() + "e").getBytes(StandardCharsets.US_ASCII));
        } else if (v instanceof List<?> l) {
            out.write('l');
            l.forEach(e -> write(out, e));
            out.write('e');
        } else if (v instanceof Map<?, ?> m) {
            out.write('d');
            new TreeMap<>(m).forEach((k, e) -> { // keys sorted, as bencode requires
                write(out, k);
                write(out, e);
            });
            out.write('e');
        } else {
            throw new IllegalArgumentException("cannot bencode " + v);
        }
    }

    static Object decode(byte[] data) {
        int[] at = {0};
        return read(data, at);
    }

    private static Object read(byte[] d, int[] at) {
        byte c = d[at[0]];
        if (c == 'i') {
            int end = indexOf(d, (byte) 'e', at[0]);
            long n = Long.parseLong(new String(d, at[0] + 1, end - at[0] - 1, StandardCharsets.US_ASCII));
            at[0] = end + 1;
            return n;
        }
        if (c == 'l') {
            at[0]++;
            List<Object> l = new ArrayList<>();
            while (d[at[0]] != 'e') {
                l.add(read(d, at));
            }
            at[0]++;
            return l;
        }
        if (c == 'd') {
            at[0]++;
            Map<String, Object> m = new LinkedHashMap<>();
            while (d[at[0]] != 'e') {
                String k = (String) read(d, at);
                m.put(k, read(d, at));
            }
            at[0]++;
            return m;
        }
        int colon = indexOf(d, (byte) ':', at[0]);
        int len = Integer.parseInt(new String(d, at[0], colon - at[0], StandardCharsets.US_ASCII));
        String s = new String(d, colon + 1, len, StandardCharsets.UTF_8);
        at[0] = colon + 1 + len;
        return s;
    }

    private static int indexOf(byte[] d, byte b, int from) {
        for (int i = from; i < d.length; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("truncated bencode");
    }
}
