package dev.convolve.backend.fast;

/**
 * Copies of {@code lanes} channel planes into one channel-blocked, zero-padded block {@code [row][col][lanes]}: the layout of the
 * Winograd transforms ({@link Winograd}, {@link GradKernelWinograd}), where one vector holds one position of {@code lanes}
 * channels. Whole blocks of 16 channels lying inside the padded block are copied by block transposes
 * ({@link GemmKernels#transpose}: {@code lanes} positions of every channel at a time) and only the border is zeroed; the rest
 * element by element.
 */
final class ChannelBlocks {
    private ChannelBlocks() {}

    private static final ThreadLocal<float[]> TMP = ThreadLocal.withInitial(() -> new float[16 * 16]);

    /**
     * {@code dst[d0 + ((iy + lo0)*wp + ix + lo1)*lanes + cl] = src[s + cl*planeStride + iy*wd + ix]} for {@code cl < chans},
     * {@code iy < h}, {@code ix < wd} where the position falls inside the {@code hp x wp} block; every other element of the
     * block ({@code hp*wp*lanes} floats from {@code d0}) zero. {@code gk} may be null (element copies).
     */
    static void copy(Kernels kern, GemmKernels gk, float[] src, int s, int planeStride, int chans, int h, int wd, float[] dst, int d0,
                     int hp, int wp, int lo0, int lo1) {
        int lanes = kern.lanes(), plane = h * wd;
        boolean inside = lo0 >= 0 && lo1 >= 0 && lo0 + h <= hp && lo1 + wd <= wp;
        if (gk == null || gk.lanes() != lanes || lanes > 16 || chans != lanes || !inside || plane < lanes) {
            elements(lanes, src, s, planeStride, chans, h, wd, dst, d0, hp, wp, lo0, lo1);
            return;
        }
        // the border: rows above and below, columns left and right of the copied rows
        int rowLen = wp * lanes;
        java.util.Arrays.fill(dst, d0, d0 + lo0 * rowLen, 0f);
        java.util.Arrays.fill(dst, d0 + (lo0 + h) * rowLen, d0 + hp * rowLen, 0f);
        for (int py = lo0; py < lo0 + h; py++) {
            int r = d0 + py * rowLen;
            java.util.Arrays.fill(dst, r, r + lo1 * lanes, 0f);
            java.util.Arrays.fill(dst, r + (lo1 + wd) * lanes, r + rowLen, 0f);
        }
        if (wd >= lanes) {
            // windows of lanes columns inside each row (the last one moved back to end at the row's end)
            for (int iy = 0; iy < h; iy++) {
                int sr = s + iy * wd, dr = d0 + ((iy + lo0) * wp + lo1) * lanes;
                for (int ix = 0; ix < wd; ix += lanes) {
                    int x0 = Math.min(ix, wd - lanes);
                    gk.transpose(src, sr + x0, planeStride, lanes, dst, dr + x0 * lanes, lanes, lanes, 0);
                }
            }
            return;
        }
        // short rows: windows of lanes positions of the flat plane, through a small block, one vector per position
        float[] t = TMP.get();
        int iy = 0, ix = 0;
        for (int f0 = 0; f0 < plane; f0 += lanes) {
            int fs = Math.min(f0, plane - lanes), end = Math.min(f0 + lanes, plane);
            gk.transpose(src, s + fs, planeStride, lanes, t, 0, lanes, lanes, 0);
            for (int f = f0; f < end; f++) {
                kern.copy(t, (f - fs) * lanes, dst, d0 + ((iy + lo0) * wp + ix + lo1) * lanes, lanes);
                if (++ix == wd) { ix = 0; iy++; }
            }
        }
    }

    private static void elements(int lanes, float[] src, int s, int planeStride, int chans, int h, int wd, float[] dst, int d0,
                                 int hp, int wp, int lo0, int lo1) {
        java.util.Arrays.fill(dst, d0, d0 + hp * wp * lanes, 0f);
        int colLo = Math.max(0, -lo1), colHi = Math.min(wd, wp - lo1);
        for (int cl = 0; cl < chans; cl++) {
            int xs = s + cl * planeStride;
            for (int iy = 0; iy < h; iy++) {
                int py = iy + lo0;
                if (py < 0 || py >= hp) continue;
                int xr = xs + iy * wd, dr = d0 + (py * wp + lo1) * lanes + cl;
                for (int ix = colLo; ix < colHi; ix++) dst[dr + ix * lanes] = src[xr + ix];
            }
        }
    }
}
