package dev.convolve.cli;

import dev.convolve.plan.AxisValues;
import dev.convolve.plan.Padding;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parsing of the operator commands' option values: comma lists of integers, "one number for every axis",
 * padding specs, booleans and the constant of {@code pad}. Every malformed value raises an
 * {@link IllegalArgumentException} naming the option, what was expected and what was given.
 */
final class CliArgs {
    private CliArgs() {}

    private static final Pattern INT = Pattern.compile("[+-]?\\d+");

    /** A comma-separated list of integers such as {@code 2,1} (spaces allowed). */
    static int[] ints(String option, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(option + ": expected integers separated by commas, such as 2,1, got an empty value");
        }
        String[] parts = text.split(",", -1);
        int[] r = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            if (!INT.matcher(p).matches()) {
                throw new IllegalArgumentException(option + ": expected integers separated by commas, such as 2,1, got '" + text + "'");
            }
            try {
                r[i] = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": " + p + " is out of range in '" + text + "'");
            }
        }
        return r;
    }

    /** One integer, e.g. a group count. */
    static int integer(String option, String text) {
        int[] v = ints(option, text);
        if (v.length != 1) throw new IllegalArgumentException(option + ": expected one integer, got '" + text + "'");
        return v[0];
    }

    /** A per-axis value: one number for every axis ({@code 2}) or one per axis ({@code 2,1}). */
    static AxisValues axisValues(String option, String text) {
        int[] v = ints(option, text);
        return v.length == 1 ? AxisValues.all(v[0]) : AxisValues.of(v);
    }

    /** {@link #axisValues} expanded to {@code n} axes; a list of the wrong length is an error naming {@code context}. */
    static int[] perAxis(String op, String option, String text, int n, String context) {
        int[] v = ints(option, text);
        if (v.length == 1) {
            int[] r = new int[n];
            Arrays.fill(r, v[0]);
            return r;
        }
        if (v.length != n) {
            throw new IllegalArgumentException(op + ": " + option + " must be a single number or have one entry per " + context
                    + " (" + n + "), got " + v.length + " entries '" + text + "'");
        }
        return v;
    }

    /**
     * A padding: {@code valid}, {@code same} (Nx's, stride-independent), {@code same-upper} / {@code same-lower}
     * (stride-aware, as JAX/TensorFlow/ONNX SAME), {@code lo:hi,...} pairs, or a single integer {@code p} meaning
     * {@code p:p} on each of the {@code axes} axes.
     */
    static Padding padding(String option, String text, int axes) {
        String s = text.trim();
        if (INT.matcher(s).matches()) {
            int p = integer(option, s);
            int[] a = new int[axes];
            Arrays.fill(a, p);
            return Padding.explicit(a, a.clone());
        }
        try {
            return Padding.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": invalid padding '" + text
                    + "', expected valid, same, same-upper, same-lower, a single integer, or low:high pairs of integers separated by commas such as 1:1,0:2");
        }
    }

    /** {@code true/false}, also {@code 1/0}, {@code yes/no}, {@code on/off}. */
    static boolean bool(String option, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(option + ": expected true or false, got '" + text + "'");
        };
    }

    /**
     * The constant of {@code pad}: an integer literal ({@code 2}, {@code -7}) gives a {@link Long}; anything with a
     * decimal point or exponent ({@code 2.0}, {@code 1e3}) or {@code inf}, {@code -inf}, {@code nan} gives a
     * {@link Double}. The distinction decides the result type, as in Nx.
     */
    static Number number(String option, String text) {
        String s = text.trim();
        if (INT.matcher(s).matches()) {
            try {
                return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": integer " + s + " does not fit in 64 bits");
            }
        }
        switch (s.toLowerCase(Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity": return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity": return Double.NEGATIVE_INFINITY;
            case "nan": return Double.NaN;
            default:
        }
        if (s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) return Double.parseDouble(s);
        throw new IllegalArgumentException(option + ": expected a number such as 0, -1 or 2.5, got '" + text + "'");
    }

    /** Splits {@code NHWC,HWIO,NHWC} into its three layouts. */
    static String[] layouts(String option, String text) {
        String[] p = text.split(",", -1);
        if (p.length != 3) {
            throw new IllegalArgumentException(option + ": expected three layouts (input, kernel, output) separated by commas, such as NHWC,HWIO,NHWC, got '" + text + "'");
        }
        for (int i = 0; i < 3; i++) p[i] = p[i].trim();
        return p;
    }
}
