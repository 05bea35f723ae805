package dev.convolve.tensor;

import java.math.BigDecimal;
import java.math.MathContext;

/** Prints tensors the way Nx's {@code inspect} does, and numbers the way Nx prints them. */
public final class Formatting {
    private Formatting() {}

    /** Nx's default inspect limit: at most this many elements are printed, then {@code ...}. */
    public static final int DEFAULT_LIMIT = 50;

    static String inspect(Tensor t, int limit) {
        StringBuilder sb = new StringBuilder("#Nx.Tensor<\n  ");
        sb.append(t.describe()).append('\n');
        int[] remaining = {limit < 0 ? Integer.MAX_VALUE : limit};
        int[] pos = {0};
        StringBuilder body = new StringBuilder();
        chunk(t, 0, pos, remaining, body, 2, true);
        sb.append("  ").append(body).append("\n>");
        return sb.toString();
    }

    static String values(Tensor t) {
        StringBuilder sb = new StringBuilder();
        chunk(t, 0, new int[] {0}, new int[] {Integer.MAX_VALUE}, sb, 0, false);
        return sb.toString();
    }

    private static void chunk(Tensor t, int depth, int[] pos, int[] remaining, StringBuilder sb, int indent, boolean multiline) {
        int rank = t.rank();
        if (depth == rank) {
            sb.append(element(t, pos[0]++));
            remaining[0]--;
            return;
        }
        int dim = t.dim(depth);
        boolean leaf = depth == rank - 1;
        if (leaf || !multiline) {
            sb.append('[');
            for (int i = 0; i < dim; i++) {
                if (remaining[0] <= 0) {
                    if (i > 0) sb.append(", ");
                    sb.append("...");
                    skip(t, depth, dim - i, pos);
                    break;
                }
                if (i > 0) sb.append(", ");
                chunk(t, depth + 1, pos, remaining, sb, indent, multiline);
            }
            sb.append(']');
            return;
        }
        String pad = " ".repeat(indent + 2);
        sb.append("[\n");
        for (int i = 0; i < dim; i++) {
            if (remaining[0] <= 0) {
                sb.append(pad).append("...");
                skip(t, depth, dim - i, pos);
                sb.append('\n');
                break;
            }
            sb.append(pad);
            chunk(t, depth + 1, pos, remaining, sb, indent + 2, true);
            sb.append(i < dim - 1 ? ",\n" : "\n");
        }
        sb.append(" ".repeat(indent)).append(']');
    }

    private static void skip(Tensor t, int depth, int count, int[] pos) {
        int per = 1;
        for (int k = depth + 1; k < t.rank(); k++) per *= t.dim(k);
        pos[0] += count * per;
    }

    private static String element(Tensor t, int i) {
        DType ty = t.dtype();
        if (ty == DType.U64) return Long.toUnsignedString(t.getFlatLong(i));
        if (ty.isInteger()) return Long.toString(t.getFlatLong(i));
        return number(t.getFlat(i), ty);
    }

    /** A float value written as Nx writes it for type {@code type}: shortest round-trip digits, e.g. {@code 0.6186936}, {@code 6.962479e-8}, {@code 1e10} (f32), {@code 1.0e10} (f64), {@code Inf}. */
    public static String number(double v, DType type) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "Inf" : "-Inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        String sign = v < 0 ? "-" : "";
        BigDecimal d = shortest(Math.abs(v), type).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int place = -d.scale();
        return sign + insertDecimal(place, digits, type == DType.F64);
    }

    private static BigDecimal shortest(double v, DType type) {
        switch (type) {
            case F64:
                return new BigDecimal(Double.toString(v));
            case F32:
                return new BigDecimal(Float.toString((float) v));
            default:
                for (int p = 1; p <= 9; p++) {
                    BigDecimal c = new BigDecimal(v).round(new MathContext(p));
                    if (type.roundFloat(c.doubleValue()) == v) return c;
                }
                return new BigDecimal(Float.toString((float) v));
        }
    }

    /**
     * The shortest-form layout of Erlang's {@code float_to_binary(_, [short])} (Nx prints f64 with it) and of
     * {@code Nx.Ryu} (f16, bf16, f32): plain decimals when not longer than the exponent form. They differ only for a
     * single significant digit in exponent form: Erlang writes {@code 1.0e10}, Nx.Ryu {@code 1e10}.
     */
    private static String insertDecimal(int place, String s, boolean erlang) {
        int l = s.length();
        int exp = place + l - 1;
        String expL = Integer.toString(exp);
        int expCost = expL.length() + 2;
        if (place < 0) {
            if (exp >= 0) {
                int split = l + place;
                if (split > 0 && split < l) return s.substring(0, split) + "." + s.substring(split);
                return insertExp(expL, s, erlang);
            }
            if (2 - place - l <= expCost) return "0." + "0".repeat(-place - l) + s;
            return insertExp(expL, s, erlang);
        }
        int dot = l == 1 ? 1 : 0;
        if (expCost + dot >= place + 2) return s + "0".repeat(place) + ".0";
        return insertExp(expL, s, erlang);
    }

    private static String insertExp(String expL, String s, boolean erlang) {
        if (s.length() == 1) return s + (erlang ? ".0e" : "e") + expL;
        return s.charAt(0) + "." + s.substring(1) + "e" + expL;
    }
}
