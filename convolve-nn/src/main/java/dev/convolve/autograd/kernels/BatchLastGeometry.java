package dev.convolve.autograd.kernels;

import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;

/**
 * A conv plan in the batch-last layout: input {@code [C, H, W, N]} (permutation {@code [3, 0, 1, 2]}), kernel
 * {@code [O, C, KH, KW]}, output {@code [O, OH, OW, N]}; one spatial axis is treated as {@code H = 1}. In this
 * layout every tap of every output position is a contiguous run of N floats, so the convolution needs no
 * im2col: it is a sum of vector multiply-adds over the batch.
 */
record BatchLastGeometry(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow, int sh, int sw, int ph, int pw, int dh, int dw) {

    /** True for f32 plans in the batch-last layout without groups or input dilation. */
    static boolean supports(ConvPlan p, DType in, DType k) {
        if (in != DType.F32 || k != DType.F32) return false;
        int r = p.spatialRank();
        if (r < 1 || r > 2 || p.featureGroups() != 1 || p.batchGroups() != 1) return false;
        for (int d : p.inputDilation()) if (d != 1) return false;
        int[] ip = p.inputPermutation(), kp = p.kernelPermutation(), op = p.outputPermutation();
        int last = r + 1;
        // canonical N -> physical last, C -> 0, spatial axes in order after it
        if (ip[0] != last || ip[1] != 0 || op[0] != last || op[1] != 0) return false;
        for (int i = 0; i < r; i++) if (ip[i + 2] != i + 1 || op[i + 2] != i + 1) return false;
        for (int i = 0; i < kp.length; i++) if (kp[i] != i) return false;
        return true;
    }

    static BatchLastGeometry of(ConvPlan p) {
        int[] sp = p.spatial(), k = p.kernelSize(), q = p.outSize(), s = p.strides(), lo = p.padLow(), kd = p.kernelDilation();
        boolean one = sp.length == 1;
        return new BatchLastGeometry(p.batch(), p.channels(), one ? 1 : sp[0], one ? sp[0] : sp[1], p.outChannels(),
                one ? 1 : k[0], one ? k[0] : k[1], one ? 1 : q[0], one ? q[0] : q[1], one ? 1 : s[0], one ? s[0] : s[1],
                one ? 0 : lo[0], one ? lo[0] : lo[1], one ? 1 : kd[0], one ? kd[0] : kd[1]);
    }

    int taps() { return kh * kw; }

    /** First kernel row i with a valid input row for output row oy, and one past the last. */
    int iLo(int oy) { return Math.max(0, ceilDiv(ph - oy * sh, dh)); }

    int iHi(int oy) { return Math.min(kh, ceilDiv(h + ph - oy * sh, dh)); }

    int jLo(int ox) { return Math.max(0, ceilDiv(pw - ox * sw, dw)); }

    int jHi(int ox) { return Math.min(kw, ceilDiv(w + pw - ox * sw, dw)); }

    static int ceilDiv(int a, int b) { return -Math.floorDiv(-a, b); }
}
