package dev.convolve.backend.fast;

/**
 * A packed single-precision GEMM in the manner of GotoBLAS/BLIS: {@code C (m x n) (+)= A (m x kc) B (kc x n)} where both
 * operands were first copied into panels ({@link #packA}, {@link #packB}) so that the register tile ({@link GemmKernels#packed})
 * reads them with contiguous loads only. The caller chooses the blocks: a block of {@code kc} (a few hundred) steps of the
 * reduction, a block of columns whose packed B (a few hundred kilobytes) stays in the L2 cache, and all rows of A, each
 * row panel of which ({@code mr x kc}) stays in L1 while the tile walks along the B panels.
 *
 * <p>Panels: A is cut into panels of {@link #mr} rows (the last one may be lower), each stored column by column
 * ({@code [k][row]}); B into panels of {@link #nr} columns (the last one narrower, rounded up to whole vectors and padded with
 * zeros), each stored row by row ({@code [k][column]}). Blocks of either are {@code rows * kc} floats, with no gaps.
 */
final class Gemm {
    final GemmKernels k;
    final int lanes, mr, nv, nr;

    private static final ThreadLocal<float[]> TMP = ThreadLocal.withInitial(() -> new float[24 * 16 * 6]);

    Gemm(GemmKernels k, int mr, int nv) {
        if (!k.hasPacked(mr, nv)) throw new IllegalArgumentException("gemm: no packed tile " + mr + "x" + nv);
        this.k = k;
        this.lanes = k.lanes();
        this.mr = mr;
        this.nv = nv;
        this.nr = nv * lanes;
    }

    /** A tile forced with {@code -Dconvolve.gemm.tile=6x4} (for comparisons), or null. */
    static volatile int[] FORCED = parseTile(System.getProperty("convolve.gemm.tile"));

    private static int[] parseTile(String v) {
        if (v == null || !v.matches("\\d+x\\d+")) return null;
        String[] p = v.split("x");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }

    /** The register tiles tried, as {rows, vectors}: 24 accumulators each. */
    private static final int[][] TILES = {{6, 4}, {4, 6}, {8, 3}, {12, 2}};

    /**
     * The tile for a product of {@code m} rows and {@code n} columns: the fewest estimated cycles, counting the lower and
     * narrower tiles at the edges and the wasted lanes of the last vector.
     */
    static Gemm choose(GemmKernels k, int m, int n) {
        return choose(k, m, n, TILES);
    }

    /** {@link #choose(GemmKernels, int, int)} among {@code tiles} ({rows, vectors}); on equal cost the first wins. */
    static Gemm choose(GemmKernels k, int m, int n, int[][] tiles) {
        int[] f = FORCED;
        if (f != null && k.hasPacked(f[0], f[1])) return new Gemm(k, f[0], f[1]);
        int[] best = null;
        double bestCost = Double.MAX_VALUE;
        for (int[] t : tiles) {
            if (!k.hasPacked(t[0], t[1])) continue;
            double c = cost(k.lanes(), t[0], t[1], m, n);
            if (c < bestCost - 1e-9) { bestCost = c; best = t; }
        }
        return new Gemm(k, best[0], best[1]);
    }

    /** Estimated cycles per reduction step of the whole product with tile {@code mr x nv}. */
    static double cost(int lanes, int mr, int nv, int m, int n) {
        int nr = nv * lanes;
        int fullRows = m / mr, restRows = m % mr;
        int fullCols = n / nr, restVecs = (n % nr + lanes - 1) / lanes;
        double c = 0;
        c += (double) fullRows * fullCols * tileCycles(mr, nv);
        if (restRows > 0) c += (double) fullCols * tileCycles(restRows, nv);
        if (restVecs > 0) c += (double) fullRows * tileCycles(mr, restVecs);
        if (restRows > 0 && restVecs > 0) c += tileCycles(restRows, restVecs);
        return c;
    }

    /** Cycles per reduction step of one tile: one vector FMA per cycle, about one vector load per cycle, latency 4. */
    private static double tileCycles(int mr, int nv) {
        return Math.max(Math.max(mr * nv, nv + 0.5 * mr), 4);
    }

    /**
     * The length of the reduction blocks when a reduction of {@code k} steps is cut into as few blocks of at most {@code max}
     * steps as it takes, all of (about) one length: {@code ceil(k / blocks)} with {@code blocks = max(1, ceil(k / max))}.
     */
    static int reductionBlock(int k, int max) {
        int blocks = Math.max(1, (k + max - 1) / max);
        return (k + blocks - 1) / blocks;
    }

    /** Floats of a packed B block of {@code kc} rows and {@code n} columns. */
    int bSize(int kc, int n) {
        return kc * ((n + lanes - 1) / lanes * lanes);
    }

    /** Width of the packed panel starting at column {@code j} of a block of {@code n} columns. */
    int panelWidth(int j, int n) {
        int valid = Math.min(nr, n - j);
        return (valid + lanes - 1) / lanes * lanes;
    }

    /**
     * Packs {@code A(i, kk) = src[off + i*rs + kk*cs]} for {@code i < m}, {@code kk < kc} into {@code dst[d ..]}
     * ({@code m * kc} floats).
     */
    void packA(float[] src, int off, int rs, int cs, int m, int kc, float[] dst, int d) {
        for (int p = 0; p < m; p += mr) {
            int h = Math.min(mr, m - p), base = d + p * kc;
            if (cs == 1) {
                for (int i = 0; i < h; i++) {
                    int s = off + (p + i) * rs;
                    for (int kk = 0, di = base + i; kk < kc; kk++, di += h) dst[di] = src[s + kk];
                }
            } else {
                for (int kk = 0; kk < kc; kk++) {
                    int s = off + p * rs + kk * cs, di = base + kk * h;
                    for (int i = 0; i < h; i++) dst[di + i] = src[s + i * rs];
                }
            }
        }
    }

    /**
     * Packs {@code B(kk, j) = src[off + kk*rs + j*cs]} for {@code kk < kc}, {@code j < n} into {@code dst[d ..]}
     * ({@link #bSize} floats), zero past column {@code n}.
     */
    void packB(Kernels kern, float[] src, int off, int rs, int cs, int kc, int n, float[] dst, int d) {
        if (cs == 1) {
            // row by row: each source row is read once, front to back (the hardware prefetcher follows it)
            int full = n / nr * nr, tail = n - full, wt = tail == 0 ? 0 : panelWidth(full, n);
            for (int kk = 0; kk < kc; kk++) {
                int s = off + kk * rs;
                for (int j = 0; j < full; j += nr) kern.copy(src, s + j, dst, d + j * kc + kk * nr, nr);
                if (tail > 0) {
                    int di = d + full * kc + kk * wt;
                    kern.copy(src, s + full, dst, di, tail);
                    for (int e = tail; e < wt; e++) dst[di + e] = 0f;
                }
            }
            return;
        }
        for (int j = 0; j < n; j += nr) {
            int w = panelWidth(j, n), valid = Math.min(nr, n - j), base = d + j * kc;
            for (int e = 0; e < valid; e++) {
                int s = off + (j + e) * cs;
                for (int kk = 0, di = base + e; kk < kc; kk++, di += w) dst[di] = src[s + kk * rs];
            }
            for (int kk = 0; kk < kc; kk++) {
                for (int e = valid; e < w; e++) dst[base + kk * w + e] = 0f;
            }
        }
    }

    /**
     * {@code C(i, j) (+)= sum_kk A(i, kk) B(kk, j)} for {@code i < m}, {@code j < n}, with {@code C(i, j) = c[cOff + i*ldc + j]};
     * {@code ap} and {@code bp} are packed blocks of {@code m} rows and {@code n} columns. Only the first {@code n} columns of C
     * are written.
     */
    void multiply(float[] ap, int a0, int m, int kc, float[] bp, int b0, int n, float[] c, int cOff, int ldc, boolean add) {
        if (kc == 0) {
            if (!add) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return;
        }
        float[] tmp = null;
        for (int p = 0; p < m; p += mr) {
            int h = Math.min(mr, m - p), aOff = a0 + p * kc, cRow = cOff + p * ldc;
            for (int j = 0; j < n; j += nr) {
                int w = panelWidth(j, n), valid = Math.min(nr, n - j), bOff = b0 + j * kc;
                if (valid == w) {
                    k.packed(h, w / lanes, kc, ap, aOff, bp, bOff, c, cRow + j, ldc, add);
                } else {
                    if (tmp == null) tmp = TMP.get();
                    k.packed(h, w / lanes, kc, ap, aOff, bp, bOff, tmp, 0, w, false);
                    for (int i = 0; i < h; i++) {
                        int ci = cRow + i * ldc + j, ti = i * w;
                        if (add) for (int e = 0; e < valid; e++) c[ci + e] += tmp[ti + e];
                        else for (int e = 0; e < valid; e++) c[ci + e] = tmp[ti + e];
                    }
                }
            }
        }
    }
}
