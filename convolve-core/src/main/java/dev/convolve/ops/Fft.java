package dev.convolve.ops;

/**
 * A mixed-radix (2, 3, 5 and any other prime by direct DFT) decimation-in-time FFT in double precision, and its
 * n-dimensional form over a row-major box. Used by {@link FftConv}; sizes are chosen 5-smooth by {@link #goodSize}.
 *
 * <p>Forward: {@code X[k] = sum_j x[j] e^{-2 pi i jk / n}}; inverse: the conjugate sum divided by {@code n}.
 * Twiddle factors are tabulated once per length from {@code cos}/{@code sin} of the exact angle, so the error of a
 * transform of length n is about {@code log(n) * 2^-53} relative to the signal's norm.
 */
final class Fft {
    private Fft() {}

    /** The smallest {@code 2^a 3^b 5^c >= n} (n >= 1). */
    static int goodSize(int n) {
        int best = Integer.MAX_VALUE;
        for (long p2 = 1; p2 < 2L * n + 2; p2 *= 2) {
            for (long p3 = p2; p3 < 2L * n + 2; p3 *= 3) {
                for (long p5 = p3; p5 < 2L * n + 2; p5 *= 5) {
                    if (p5 >= n && p5 < best) best = (int) p5;
                }
            }
        }
        return best;
    }

    private static final java.util.concurrent.ConcurrentHashMap<Integer, double[][]> TWIDDLES = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code cos(2 pi j / n)} and {@code sin(2 pi j / n)} for j < n, computed from the exact angle. */
    private static double[][] twiddles(int n) {
        if (TWIDDLES.size() > 64) TWIDDLES.clear(); // keep the cache small when many sizes pass through
        return TWIDDLES.computeIfAbsent(n, len -> {
            double[] c = new double[len], s = new double[len];
            for (int j = 0; j < len; j++) {
                double a = 2 * Math.PI * j / len;
                c[j] = Math.cos(a);
                s[j] = Math.sin(a);
            }
            return new double[][] {c, s};
        });
    }

    /** In-place 1-D transform of {@code (re, im)}, each of length n. */
    static void transform(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        double[] outRe = new double[n], outIm = new double[n];
        double[][] w = twiddles(n);
        recurse(re, im, 0, 1, n, outRe, outIm, 0, inverse ? 1 : -1, w[0], w[1], n);
        if (inverse) {
            for (int i = 0; i < n; i++) {
                re[i] = outRe[i] / n;
                im[i] = outIm[i] / n;
            }
        } else {
            System.arraycopy(outRe, 0, re, 0, n);
            System.arraycopy(outIm, 0, im, 0, n);
        }
    }

    /**
     * Transforms {@code x[off + j * stride]}, j < n, into {@code out[o .. o + n)}; {@code cos}/{@code sin} tabulate
     * the angles {@code 2 pi j / total}, and n divides total.
     */
    private static void recurse(double[] xr, double[] xi, int off, int stride, int n, double[] or, double[] oi, int o, int sign,
                                double[] cos, double[] sin, int total) {
        if (n == 1) {
            or[o] = xr[off];
            oi[o] = xi[off];
            return;
        }
        int p = smallestFactor(n), m = n / p;
        // Sub-transform r holds the elements r, r + p, r + 2p, ... of this sequence.
        for (int r = 0; r < p; r++) recurse(xr, xi, off + r * stride, stride * p, m, or, oi, o + r * m, sign, cos, sin, total);
        int unit = total / n; // table step for angle 2 pi / n
        if (p == 2) { // the common case: X[k] = E[k] + w^k O[k], X[k + m] = E[k] - w^k O[k]
            for (int k = 0; k < m; k++) {
                int j = k * unit;
                double c = cos[j], s = sign * sin[j];
                double ur = or[o + m + k], ui = oi[o + m + k];
                double tr = ur * c - ui * s, ti = ur * s + ui * c;
                double er = or[o + k], ei = oi[o + k];
                or[o + k] = er + tr;
                oi[o + k] = ei + ti;
                or[o + m + k] = er - tr;
                oi[o + m + k] = ei - ti;
            }
            return;
        }
        double[] tr = new double[p], ti = new double[p], resR = new double[p], resI = new double[p];
        for (int k = 0; k < m; k++) {
            for (int r = 0; r < p; r++) {
                int j = (int) ((long) r * k % n) * unit;
                double c = cos[j], s = sign * sin[j];
                double ur = or[o + r * m + k], ui = oi[o + r * m + k];
                tr[r] = ur * c - ui * s;
                ti[r] = ur * s + ui * c;
            }
            for (int q = 0; q < p; q++) {
                double sr = 0, si = 0;
                for (int r = 0; r < p; r++) {
                    int j = (r * q) % p * m * unit; // angle 2 pi (rq mod p) / p
                    double c = cos[j], s = sign * sin[j];
                    sr += tr[r] * c - ti[r] * s;
                    si += tr[r] * s + ti[r] * c;
                }
                resR[q] = sr;
                resI[q] = si;
            }
            for (int q = 0; q < p; q++) {
                or[o + k + q * m] = resR[q];
                oi[o + k + q * m] = resI[q];
            }
        }
    }

    private static int smallestFactor(int n) {
        if (n % 2 == 0) return 2;
        for (int f = 3; (long) f * f <= n; f += 2) if (n % f == 0) return f;
        return n;
    }

    /**
     * Forward transforms of real boxes, two per complex transform: with {@code z = a + i b},
     * {@code A[k] = (Z[k] + conj(Z[-k])) / 2} and {@code B[k] = (Z[k] - conj(Z[-k])) / 2i}. Returns {re, im} per box.
     */
    static double[][][] realForward(double[][] boxes, int[] dims) {
        int count = boxes.length, size = boxes.length == 0 ? 0 : boxes[0].length;
        double[][] re = new double[count][], im = new double[count][];
        int[] neg = negatedIndex(dims);
        for (int i = 0; i < count; i += 2) {
            double[] zr = boxes[i].clone();
            double[] zi = i + 1 < count ? boxes[i + 1].clone() : new double[size];
            transform(zr, zi, dims, false);
            if (i + 1 >= count) {
                re[i] = zr;
                im[i] = zi;
                continue;
            }
            double[] ar = new double[size], ai = new double[size], br = new double[size], bi = new double[size];
            for (int k = 0; k < size; k++) {
                int kk = neg[k];
                ar[k] = (zr[k] + zr[kk]) * 0.5;
                ai[k] = (zi[k] - zi[kk]) * 0.5;
                br[k] = (zi[k] + zi[kk]) * 0.5;
                bi[k] = (zr[kk] - zr[k]) * 0.5;
            }
            re[i] = ar;
            im[i] = ai;
            re[i + 1] = br;
            im[i + 1] = bi;
        }
        return new double[][][] {re, im};
    }

    /** For every position of the box, the position of its negated index (each coordinate {@code (L - k) mod L}). */
    private static int[] negatedIndex(int[] dims) {
        int size = 1;
        for (int d : dims) size *= d;
        int[] out = new int[size];
        int[] idx = new int[dims.length];
        int[] st = new int[dims.length];
        for (int i = dims.length - 1, s = 1; i >= 0; i--) {
            st[i] = s;
            s *= dims[i];
        }
        for (int f = 0; f < size; f++) {
            int at = 0;
            for (int i = 0; i < dims.length; i++) at += ((dims[i] - idx[i]) % dims[i]) * st[i];
            out[f] = at;
            for (int i = dims.length - 1; i >= 0; i--) {
                if (++idx[i] < dims[i]) break;
                idx[i] = 0;
            }
        }
        return out;
    }

    /** In-place n-dimensional transform of a row-major box of sizes {@code dims}: a 1-D transform along every axis. */
    static void transform(double[] re, double[] im, int[] dims, boolean inverse) {
        int total = re.length;
        int inner = 1;
        for (int axis = dims.length - 1; axis >= 0; axis--) {
            int len = dims[axis];
            if (len > 1) {
                double[] lr = new double[len], li = new double[len];
                int outer = total / (len * inner);
                for (int a = 0; a < outer; a++) {
                    for (int b = 0; b < inner; b++) {
                        int base = a * len * inner + b;
                        for (int j = 0; j < len; j++) {
                            lr[j] = re[base + j * inner];
                            li[j] = im[base + j * inner];
                        }
                        transform(lr, li, inverse);
                        for (int j = 0; j < len; j++) {
                            re[base + j * inner] = lr[j];
                            im[base + j * inner] = li[j];
                        }
                    }
                }
            }
            inner *= len;
        }
    }
}
