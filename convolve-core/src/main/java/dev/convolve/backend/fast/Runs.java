package dev.convolve.backend.fast;

/**
 * The valid positions of an item's walk, as runs along the last axis: run {@code r} covers walk positions
 * {@code [start, start + length)}, which go to output indices {@code dst + e * last} for {@code e < length}.
 * Built once per item into per-thread buffers; tiles of the walk are then stored run by run, with no division
 * per position. Positions between runs (plane padding, extra columns) are computed but never stored.
 */
final class Runs {
    private int count;
    private int[] start, length, dst;

    private static final ThreadLocal<Runs> LOCAL = ThreadLocal.withInitial(Runs::new);

    int count() { return count; }

    int start(int r) { return r < count ? start[r] : Integer.MAX_VALUE; }

    int length(int r) { return r < count ? length[r] : 0; }

    int dst(int r) { return dst[r]; }

    /** One past the last valid position (0 when there is none). */
    int end() { return count == 0 ? 0 : start[count - 1] + length[count - 1]; }

    /**
     * The runs of {@code cnt} images whose planes are {@code planeSize} apart (ignored when {@code cnt} is 1), grid
     * {@code rowsA x grid[1] x ...}, plane pitches {@code pitch}; output index {@code dstBase + im*dstImg + sum j_i*dstAxis[i]}.
     */
    static Runs of(int n, int cnt, int planeSize, int[] pitch, int[] grid, int rowsA, int[] dstAxis, int dstImg, int dstBase) {
        Runs r = LOCAL.get();
        int rowsPerImage = n == 1 ? 1 : rowsA;
        for (int i = 1; i < n - 1; i++) rowsPerImage *= grid[i];
        int total = rowsPerImage * cnt;
        if (r.start == null || r.start.length < total) {
            int cap = Math.max(total, 64) + total / 4;
            r.start = new int[cap];
            r.length = new int[cap];
            r.dst = new int[cap];
        }
        int runLen = n == 1 ? rowsA : grid[n - 1];
        int lastStride = dstAxis[n - 1];
        int k = 0;
        int[] j = new int[Math.max(1, n - 1)];
        for (int im = 0; im < cnt; im++) {
            int pImg = im * (cnt == 1 ? 0 : planeSize);
            java.util.Arrays.fill(j, 0);
            for (int row = 0; row < rowsPerImage; row++) {
                int p = pImg, d = dstBase + im * dstImg;
                for (int i = 0; i < n - 1; i++) {
                    p += j[i] * pitch[i];
                    d += j[i] * dstAxis[i];
                }
                if (k > 0 && r.start[k - 1] + r.length[k - 1] == p && r.dst[k - 1] + r.length[k - 1] * lastStride == d) {
                    r.length[k - 1] += runLen;   // contiguous in the walk and in the output: one longer run
                } else {
                    r.start[k] = p;
                    r.length[k] = runLen;
                    r.dst[k] = d;
                    k++;
                }
                for (int i = n - 2; i >= 0; i--) {
                    if (++j[i] < (i == 0 ? rowsA : grid[i])) break;
                    j[i] = 0;
                }
            }
        }
        r.count = k;
        return r;
    }

    /** The first run that ends after position {@code p}. */
    int find(int p) {
        int lo = 0, hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (start[mid] + length[mid] <= p) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /**
     * Stores tile positions {@code [p0, p0 + nr)} that lie in runs, starting at run {@code r}: row {@code m < rows} of the tile
     * (at {@code tile[m*nr]}) goes to {@code out[oOff + m*oStride + ...]}.
     */
    void store(Kernels k, int r, float[] tile, int nr, int p0, int rows, float[] out, int oOff, int oStride, int last) {
        int end = p0 + nr;
        for (; r < count && start[r] < end; r++) {
            int s = Math.max(start[r], p0), e = Math.min(start[r] + length[r], end);
            if (e <= s) continue;
            int cnt = e - s, t0 = s - p0, d0 = dst[r] + (s - start[r]) * last + oOff;
            if (last == 1) {
                k.copyRows(tile, t0, nr, out, d0, oStride, rows, cnt);
                continue;
            }
            for (int m = 0; m < rows; m++) {
                int tt = m * nr + t0, dd = d0 + m * oStride;
                for (int q = 0; q < cnt; q++) out[dd + q * last] = tile[tt + q];
            }
        }
    }
}
