package dev.convolve.plan;

/** Turns layout strings such as {@code "NHWC"} / {@code "HWIO"} into conv permutations. */
final class Layouts {
    private Layouts() {}

    static int[][] permutations(String in, String kernel, String out) {
        String i = in.toUpperCase(java.util.Locale.ROOT), k = kernel.toUpperCase(java.util.Locale.ROOT), o = out.toUpperCase(java.util.Locale.ROOT);
        if (i.length() != k.length() || i.length() != o.length() || i.length() < 3) {
            throw new IllegalArgumentException("conv: layouts '" + in + "', '" + kernel + "', '" + out + "' must have the same length, at least 3");
        }
        int r = i.length();
        int[] kp = new int[r];
        kp[0] = index(k, 'O', kernel);
        kp[1] = index(k, 'I', kernel);
        char[] spatial = new char[r - 2];
        for (int p = 0, s = 0; p < r; p++) {
            char c = k.charAt(p);
            if (c != 'O' && c != 'I') {
                spatial[s++] = c;
                kp[s + 1] = p;
            }
        }
        return new int[][] {ioPerm(i, spatial, in), kp, ioPerm(o, spatial, out)};
    }

    private static int[] ioPerm(String spec, char[] spatial, String original) {
        int[] p = new int[spec.length()];
        p[0] = index(spec, 'N', original);
        p[1] = index(spec, 'C', original);
        for (int s = 0; s < spatial.length; s++) p[s + 2] = index(spec, spatial[s], original);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int v : p) {
            if (!seen.add(v)) throw new IllegalArgumentException("conv: layout '" + original + "' repeats an axis letter");
        }
        return p;
    }

    private static int index(String spec, char c, String original) {
        int p = spec.indexOf(c);
        if (p < 0 || spec.indexOf(c, p + 1) >= 0) {
            throw new IllegalArgumentException("conv: layout '" + original + "' must contain the letter " + c + " exactly once");
        }
        return p;
    }
}
