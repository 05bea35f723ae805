package dev.convolve.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Im2colPack} with the Vector API: each vector of columns is one gather through the row's offset table (one table slice
 * serves a vector that crosses into the next images), the zero columns blended in from a bit mask. Only loaded with
 * {@link VectorKernels} (see {@link Im2colPack#of}).
 */
final class VectorIm2colPack implements Im2colPack {
    static final VectorIm2colPack INSTANCE = new VectorIm2colPack();
    private static final VectorSpecies<Float> S = VectorKernels.S;
    private static final int L = S.length();

    private VectorIm2colPack() {}

    @Override
    public void lanes(float[] x, int[] base, int lanes, int src, int count, float[] dst, int d, int dStep) {
        int full = lanes / L * L;
        for (int k = 0; k < count; k++, d += dStep) {
            int at = src + k;
            for (int l = 0; l < full; l += L) FloatVector.fromArray(S, x, at, base, l).intoArray(dst, d + l);
            for (int l = full; l < lanes; l++) dst[d + l] = x[base[l] + at];
        }
    }

    @Override
    public void panel(float[] x, int imgStride, int xOff, int[] ext, int extLen, long[] zmask, int q,
                      int k0, int kc, int col0, int valid, int w, float[] dst, int d) {
        FloatVector zero = FloatVector.zero(S);
        int e = 0;
        for (; e + L <= valid; e += L) {
            int col = col0 + e, b = col / q, j = col - b * q, xb = b * imgStride + xOff;
            for (int kk = 0, r = k0; kk < kc; kk++, r++) {
                long zm = zmask[r * q + j];
                FloatVector v;
                if (zm == 0) v = FloatVector.fromArray(S, x, xb, ext, r * extLen + j);
                else if (zm == ALL) v = zero;
                else v = FloatVector.fromArray(S, x, xb, ext, r * extLen + j).blend(zero, VectorMask.fromLong(S, zm));
                v.intoArray(dst, d + kk * w + e);
            }
        }
        if (e < w) {
            // the last, partial vector: columns past valid are zero
            for (int kk = 0, r = k0; kk < kc; kk++, r++) {
                int o = d + kk * w;
                for (int i = e; i < w; i++) dst[o + i] = 0f;
                for (int i = e; i < valid; i++) {
                    int col = col0 + i, b = col / q, j = col - b * q;
                    long zm = zmask[r * q + j];
                    dst[o + i] = (zm & 1) != 0 ? 0f : x[b * imgStride + xOff + ext[r * extLen + j]];
                }
            }
        }
    }

    private static final long ALL = L == 64 ? -1L : (1L << L) - 1;
}
