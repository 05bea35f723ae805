package dev.convolve.backend.fast;

/**
 * The padded, stride-phase-split copy of an input region that the shifted kernels read. Per spatial axis
 * {@code i}: the input index read by grid point {@code j} through a tap with row shift {@code h} in phase
 * {@code phi} is {@code (j + h + lowShift[i]) * stride[i] + phi}; the copy holds, for every phase combination,
 * a plane of {@code extent[i]} rows per axis, so that plane row {@code e} holds input index
 * {@code (e + start) * stride + phi} or the padding value outside the input.
 *
 * <p>Layout of a copy: {@code [channel][phase combination][image][plane]}, plane rows row-major, last axis
 * fastest; phase combinations are mixed-radix over the axes with the last axis fastest. Axis 0 may be a band:
 * only rows {@code [j0, j0 + rows)} of the grid, which needs {@code rows + span[0]} plane rows.
 */
final class PhasePlanes {
    final int n;
    final int[] stride, lowShift, span, inSize, xst;
    final int[][] phases;
    /** Plane extents (axis 0 sized for a full band), row-major pitches, floats per plane and per row. */
    final int[] extent, pitch;
    final int planeSize, rowLen, combos, lastPhases, cntMax, channels, comboStride, chanStride;
    /** Floats a copy needs, with slack for whole tiles of {@code tile} positions read past the end. */
    final int size;
    /** Input index of each plane row of axes 1..n-2, per phase index (-1: padding). */
    private final int[][][] rowIndex;
    /** Last axis (n >= 2): per phase index, the valid plane columns [lo, hi) and the input index at lo. */
    private final int[] lastLo, lastHi, lastFirst;
    /** Indices into {@code phases[n-1]} of phases 0 and 1 when the last axis has stride 2 and uses both, else -1. */
    private final int evenIdx, oddIdx;
    /** For that case (n >= 2): the columns both phases hold data, the input offset of the first pair, and whether either has more. */
    private final int pairLo, pairCount, pairX;
    private final boolean pairEdges;

    private boolean splitsPairs() { return evenIdx >= 0 && pairCount > 0; }

    PhasePlanes(int n, int[] stride, int[] lowShift, int[] span, int[] inSize, int[][] phases, int[] grid, int[] xst,
                int rows, int cntMax, int channels, int tile) {
        this.n = n;
        this.stride = stride; this.lowShift = lowShift; this.span = span; this.inSize = inSize; this.xst = xst; this.phases = phases;
        this.cntMax = cntMax; this.channels = channels;
        extent = new int[n];
        for (int i = 0; i < n; i++) extent[i] = (i == 0 ? rows : grid[i]) + span[i];
        pitch = ShiftedConv.rowMajorStrides(extent);
        planeSize = ShiftedConv.product(extent);
        rowLen = extent[n - 1];
        int cb = 1;
        for (int[] p : phases) cb *= p.length;
        combos = cb;
        lastPhases = phases[n - 1].length;
        prefilled = rowLen <= 64;
        comboStride = cntMax * planeSize;
        chanStride = combos * comboStride;
        size = channels * chanStride + planeSize + 2 * tile + 64;

        rowIndex = new int[n][][];
        for (int i = 1; i < n - 1; i++) {
            rowIndex[i] = new int[phases[i].length][extent[i]];
            for (int pi = 0; pi < phases[i].length; pi++) {
                for (int e = 0; e < extent[i]; e++) {
                    int xi = (e + lowShift[i]) * stride[i] + phases[i][pi];
                    rowIndex[i][pi][e] = xi >= 0 && xi < inSize[i] ? xi : -1;
                }
            }
        }
        lastLo = new int[lastPhases];
        lastHi = new int[lastPhases];
        lastFirst = new int[lastPhases];
        if (n >= 2) lastRange(lowShift[n - 1], lastLo, lastHi, lastFirst);
        int ev = -1, od = -1;
        if (stride[n - 1] == 2 && lastPhases == 2) {
            for (int pi = 0; pi < 2; pi++) {
                if (phases[n - 1][pi] == 0) ev = pi;
                else od = pi;
            }
        }
        evenIdx = ev;
        oddIdx = od;
        if (ev >= 0 && n >= 2) {
            int l = Math.max(lastLo[ev], lastLo[od]), h = Math.min(lastHi[ev], lastHi[od]);
            pairLo = l;
            pairCount = Math.max(0, h - l);
            pairX = lastFirst[ev] + 2 * (l - lastLo[ev]);
            pairEdges = lastLo[ev] != l || lastHi[ev] != h || lastLo[od] != l || lastHi[od] != h;
        } else {
            pairLo = pairCount = pairX = 0;
            pairEdges = true;
        }
    }

    /** Valid columns of the last axis when its plane starts at grid index {@code start} (input index (start+e)*s + phi). */
    private void lastRange(int start, int[] lo, int[] hi, int[] first) {
        int a = n - 1, s = stride[a], e = extent[a];
        for (int pi = 0; pi < lastPhases; pi++) {
            int phi = phases[a][pi];
            int l = Math.max(0, -start);
            int h = Math.min(e, Math.floorDiv(inSize[a] - 1 - phi, s) - start + 1);
            if (h < l) h = l;
            lo[pi] = l;
            hi[pi] = h;
            first[pi] = (start + l) * s + phi;
        }
    }

    /**
     * Copies {@code channels} channels of {@code cnt} images into {@code dst}: channel {@code ch} of image {@code im} is read at
     * {@code x[xBase + im*xImg + ch*xChan + ...]}; only grid rows {@code [j0, j0 + rowsA)} of axis 0 (and their span).
     */
    void fill(Kernels k, float[] x, int xBase, int xImg, int xChan, int chans, int cnt, int j0, int rowsA, float pad, float[] dst) {
        int[] lo = lastLo, hi = lastHi, first = lastFirst;
        if (n == 1) {
            lo = new int[lastPhases];
            hi = new int[lastPhases];
            first = new int[lastPhases];
            lastRange(j0 + lowShift[0], lo, hi, first);
        }
        int outerCombos = combos / lastPhases;
        int e0 = rowsA + span[0];
        // The slack after the planes is read by tiles past the end: keep it finite (zero) for kernels that sum over it.
        java.util.Arrays.fill(dst, channels * chanStride, size, 0f);
        // Short rows: one bulk fill with the padding value first, then only the data is copied (per-row edge
        // bookkeeping would cost more than the row itself).
        if (prefilled) java.util.Arrays.fill(dst, 0, chans * chanStride, pad);
        for (int ch = 0; ch < chans; ch++) {
            for (int im = 0; im < cnt; im++) {
                int xPlane = xBase + im * xImg + ch * xChan;
                for (int oc = 0; oc < outerCombos; oc++) {
                    int d = ch * chanStride + oc * lastPhases * comboStride + im * planeSize;
                    if (n == 1) {
                        copyRow(k, x, xPlane, d, lo, hi, first, pad, dst);
                    } else if (n == 2) {
                        int phi0 = phases[0][oc];
                        int s0 = stride[0], start = j0 + lowShift[0], size0 = inSize[0];
                        if (prefilled && splitsPairs()) {
                            // the rows of this row phase that hold data form one arithmetic progression: one call for all
                            int eLo = Math.max(0, -start + (phi0 < 0 ? 1 : 0)), eHi = Math.min(e0, Math.floorDiv(size0 - 1 - phi0, s0) - start + 1);
                            while (eLo < eHi && (start + eLo) * s0 + phi0 < 0) eLo++;
                            if (eHi > eLo) {
                                int xi = (start + eLo) * s0 + phi0;
                                int de = d + evenIdx * comboStride + pairLo, dd = d + oddIdx * comboStride + pairLo;
                                k.deinterleaveRows(x, xPlane + xi * xst[0] + pairX, s0 * xst[0], eHi - eLo, pairCount, dst, de + eLo * rowLen, dd + eLo * rowLen, rowLen);
                                if (pairEdges) {
                                    for (int e = eLo; e < eHi; e++) {
                                        int xr = xPlane + ((start + e) * s0 + phi0) * xst[0];
                                        edge(x, xr, d + evenIdx * comboStride + e * rowLen, lo[evenIdx], hi[evenIdx], first[evenIdx], pairLo, pairLo + pairCount, rowLen, pad, dst);
                                        edge(x, xr, d + oddIdx * comboStride + e * rowLen, lo[oddIdx], hi[oddIdx], first[oddIdx], pairLo, pairLo + pairCount, rowLen, pad, dst);
                                    }
                                }
                            }
                        } else {
                            for (int e = 0; e < e0; e++) {
                                int xi = (start + e) * s0 + phi0;
                                copyRow(k, x, xi >= 0 && xi < size0 ? xPlane + xi * xst[0] : -1, d + e * rowLen, lo, hi, first, pad, dst);
                            }
                        }
                    } else {
                        fillRows(k, x, xPlane, d, oc, j0, e0, lo, hi, first, pad, dst);
                    }
                }
            }
        }
    }

    /** Rows of a plane with three or more axes: an odometer over axes 0..n-2. */
    private void fillRows(Kernels k, float[] x, int xPlane, int d, int oc, int j0, int e0, int[] lo, int[] hi, int[] first, float pad, float[] dst) {
        int[] pi = new int[n - 1];
        int r = oc;
        for (int i = n - 2; i >= 0; i--) {
            pi[i] = r % phases[i].length;
            r /= phases[i].length;
        }
        int[] e = new int[n - 1];
        int rows = e0;
        for (int i = 1; i < n - 1; i++) rows *= extent[i];
        int start = j0 + lowShift[0];
        for (int row = 0; row < rows; row++) {
            int xi0 = (start + e[0]) * stride[0] + phases[0][pi[0]];
            int xo = xi0 >= 0 && xi0 < inSize[0] ? xPlane + xi0 * xst[0] : -1;
            for (int i = 1; i < n - 1 && xo >= 0; i++) {
                int xi = rowIndex[i][pi[i]][e[i]];
                xo = xi < 0 ? -1 : xo + xi * xst[i];
            }
            copyRow(k, x, xo, d + row * rowLen, lo, hi, first, pad, dst);
            for (int i = n - 2; i >= 0; i--) {
                if (++e[i] < (i == 0 ? e0 : extent[i])) break;
                e[i] = 0;
            }
        }
    }

    /** Rows this short are filled with the padding value in bulk first, so that only data is copied row by row. */
    private final boolean prefilled;

    /** One plane row for every phase of the last axis (rows {@code comboStride} apart); {@code xRow < 0} means padding. */
    private void copyRow(Kernels k, float[] x, int xRow, int d, int[] lo, int[] hi, int[] first, float pad, float[] dst) {
        int len = rowLen, cs = comboStride;
        if (xRow < 0) {
            if (!prefilled) for (int pi = 0; pi < lastPhases; pi++) fill(dst, d + pi * cs, len, pad);
            return;
        }
        int s = stride[n - 1];
        if (evenIdx >= 0) {
            int de = d + evenIdx * cs, dd = d + oddIdx * cs;
            int l = Math.max(lo[evenIdx], lo[oddIdx]), h = Math.min(hi[evenIdx], hi[oddIdx]);
            if (h > l) {
                // both phases valid on [l, h): one pass over the input pairs (2*(start+l), +1)
                int xPair = xRow + first[evenIdx] + 2 * (l - lo[evenIdx]);
                k.deinterleave(x, xPair, h - l, dst, de + l, dd + l);
                edge(x, xRow, de, lo[evenIdx], hi[evenIdx], first[evenIdx], l, h, len, pad, dst);
                edge(x, xRow, dd, lo[oddIdx], hi[oddIdx], first[oddIdx], l, h, len, pad, dst);
                return;
            }
        }
        for (int pi = 0; pi < lastPhases; pi++) {
            int dr = d + pi * cs, l = lo[pi], h = hi[pi];
            if (!prefilled) fill(dst, dr, l, pad);
            int xi = xRow + first[pi];
            if (s == 1) {
                int cnt = h - l;
                if (cnt > 24) System.arraycopy(x, xi, dst, dr + l, cnt);
                else k.copy(x, xi, dst, dr + l, cnt);
            } else {
                for (int c = l, di = dr + l; c < h; c++, di++, xi += s) dst[di] = x[xi];
            }
            if (!prefilled) fill(dst, dr + h, len - h, pad);
        }
    }

    /** The columns of one phase row outside [l, h): its own valid ones copied, the rest padding. */
    private void edge(float[] x, int xRow, int dr, int lo, int hi, int first, int l, int h, int len, float pad, float[] dst) {
        int s = stride[n - 1];
        if (!prefilled) fill(dst, dr, lo, pad);
        for (int c = lo; c < l; c++) dst[dr + c] = x[xRow + first + (c - lo) * s];
        for (int c = h; c < hi; c++) dst[dr + c] = x[xRow + first + (c - lo) * s];
        if (!prefilled) fill(dst, dr + hi, len - hi, pad);
    }

    private static void fill(float[] a, int from, int count, float v) {
        for (int i = 0; i < count; i++) a[from + i] = v;
    }
}
