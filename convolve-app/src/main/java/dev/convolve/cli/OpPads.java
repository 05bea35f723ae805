package dev.convolve.cli;

import java.util.Arrays;

/**
 * Begin/end padding per spatial axis in the forms PyTorch and ONNX users write: {@code p} (every side),
 * {@code p1,..,pn} (PyTorch: both sides of each axis), {@code b1,..,bn,e1,..,en} (ONNX {@code pads}: all begins,
 * then all ends), or {@code lo:hi,...} pairs per axis.
 */
final class OpPads {
    private OpPads() {}

    /** Returns {@code {begin[n], end[n]}}. */
    static int[][] beginEnd(String op, String option, String text, int n) {
        int[] b = new int[n], e = new int[n];
        if (text.contains(":")) {
            String[] parts = text.split(",", -1);
            if (parts.length != n) {
                throw new IllegalArgumentException(op + ": " + option + " needs one low:high pair per spatial axis (" + n + "), got '" + text + "'");
            }
            for (int i = 0; i < n; i++) {
                int[] pair = CliArgs.ints(option, parts[i].replace(':', ','));
                if (pair.length != 2) {
                    throw new IllegalArgumentException(op + ": " + option + " needs low:high pairs of integers such as 1:1,0:2, got '" + text + "'");
                }
                b[i] = pair[0];
                e[i] = pair[1];
            }
            return new int[][] {b, e};
        }
        int[] v = CliArgs.ints(option, text);
        if (v.length == 1) {
            Arrays.fill(b, v[0]);
            Arrays.fill(e, v[0]);
        } else if (v.length == n) {
            b = v.clone();
            e = v.clone();
        } else if (v.length == 2 * n) {
            b = Arrays.copyOfRange(v, 0, n);
            e = Arrays.copyOfRange(v, n, 2 * n);
        } else {
            throw new IllegalArgumentException(op + ": " + option + " needs 1, " + n + " (one per spatial axis) or " + 2 * n
                    + " (all begins, then all ends) numbers, or low:high pairs, got " + v.length + " numbers '" + text + "'");
        }
        return new int[][] {b, e};
    }
}
