package dev.convolve.backend;

import dev.convolve.plan.AxisValues;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradients of a conv, written as convs (the construction of JAX's {@code _conv_general_dilated_transpose_lhs/rhs}
 * and Nx's {@code grad.ex}, extended to input dilation). Derivation, per spatial axis, in canonical layout:
 *
 * <pre>
 * forward:  out[q] = sum_t P[q*s + t*kd] * w[t],   P = x dilated by ld (interior ld-1), padded (lo, hi)
 *
 * d/dx:     dP[p'] = sum_{q,t : q*s + t*kd = p'} g[q] * w[t].
 *           Flip the kernel (t' = K-1-t) and let G = g dilated by s, padded low by DK-1:
 *           dP[p'] = sum_t' G[p' + t'*kd] * wflip[t'], and x[j] sits at p' = lo + j*ld, so
 *           dx = conv(g, wflip, strides: ld, input_dilation: s, kernel_dilation: kd,
 *                     padding: (DK-1-lo, (S-1)*ld + DK - dil(Q,s) - (DK-1-lo)))   -- exactly S outputs.
 *           Channels: kernel [O, I, K] regrouped to [Gf*I, O/Gf, K] (swap I and O inside each feature group).
 *
 * d/dw:     dw[t] = sum_q P[t*kd + q*s] * g[q]: a conv of x (batch and channel axes swapped) with g as the
 *           kernel: strides: kd, kernel_dilation: s, input_dilation: ld,
 *           padding: (lo, (K-1)*kd + dil(Q,s) - DI - lo)   -- exactly K outputs.
 *           Feature groups Gf become batch groups Gf; batch groups Gb become feature groups Gb.
 * </pre>
 *
 * Both were checked against finite differences and PyTorch autograd. Negative high padding (crop) is common.
 */
public final class ConvGradients {
    private ConvGradients() {}

    /** Gradient of the conv of {@code plan} with respect to its input, given the output gradient {@code g} (physical layouts). */
    public static Tensor input(Backend backend, ConvPlan plan, Tensor kernel, Tensor g) {
        Tensor wc = kernel.transpose(plan.kernelPermutation()).asType(g.dtype());
        Tensor gc = g.transpose(plan.outputPermutation());
        Tensor dxc;
        if (plan.batchGroups() > 1) {
            // dx[gb*Nb + b, c] = sum over the output channels of block gb: one ungrouped gradient per block.
            int gb = plan.batchGroups(), perBlock = plan.outChannels() / gb;
            List<Tensor> parts = new ArrayList<>();
            for (int blk = 0; blk < gb; blk++) {
                Tensor gBlock = gc.sliceAxis(blk * perBlock, perBlock, 1);
                Tensor wBlock = wc.sliceAxis(blk * perBlock, perBlock, 0);
                parts.add(inputCanonical(backend, plan, wBlock, gBlock, 1));
            }
            dxc = Tensor.concatenate(parts, 0);
        } else {
            dxc = inputCanonical(backend, plan, wc, gc, plan.featureGroups());
        }
        return dxc.transpose(inverse(plan.inputPermutation()));
    }

    private static Tensor inputCanonical(Backend backend, ConvPlan plan, Tensor wc, Tensor gc, int gf) {
        int n = plan.spatialRank();
        int o = wc.dim(0), i = wc.dim(1);
        int[] k = plan.kernelSize(), s = plan.strides(), kd = plan.kernelDilation(), ld = plan.inputDilation();
        int[] lo = plan.padLow(), sp = plan.spatial(), q = plan.outSize();
        // [O, I, K] -> [Gf, O/Gf, I, K] -> [Gf, I, O/Gf, K] -> [Gf*I, O/Gf, K], then flip the spatial axes.
        int[] grouped = new int[n + 3];
        grouped[0] = gf; grouped[1] = o / gf; grouped[2] = i;
        System.arraycopy(k, 0, grouped, 3, n);
        int[] perm = new int[n + 3];
        perm[0] = 0; perm[1] = 2; perm[2] = 1;
        for (int a = 3; a < n + 3; a++) perm[a] = a;
        int[] flat = new int[n + 2];
        flat[0] = gf * i; flat[1] = o / gf;
        System.arraycopy(k, 0, flat, 2, n);
        int[] spatialAxes = new int[n];
        for (int a = 0; a < n; a++) spatialAxes[a] = a + 2;
        Tensor wflip = wc.reshape(grouped).transpose(perm).reshape(flat).reverse(spatialAxes);

        int[] plo = new int[n], phi = new int[n];
        for (int a = 0; a < n; a++) {
            int dk = ConvPlan.dilate(k[a], kd[a]);
            int dg = ConvPlan.dilate(q[a], s[a]);
            plo[a] = dk - 1 - lo[a];
            phi[a] = (sp[a] - 1) * ld[a] + dk - dg - plo[a];
        }
        ConvOptions opts = ConvOptions.defaults()
                .withStrides(AxisValues.of(ld))
                .withInputDilation(AxisValues.of(s))
                .withKernelDilation(AxisValues.of(kd))
                .withPadding(Padding.explicit(plo, phi))
                .withFeatureGroupSize(gf);
        ConvPlan p = ConvPlan.of(gc.shape(), gc.dtype(), wflip.shape(), wflip.dtype(), opts);
        return backend.conv(p, gc, wflip);
    }

    /** Gradient of the conv of {@code plan} with respect to its kernel, given the output gradient {@code g} (physical layouts). */
    public static Tensor kernel(Backend backend, ConvPlan plan, Tensor input, Tensor g) {
        int n = plan.spatialRank();
        int r = n + 2;
        Tensor xc = input.transpose(plan.inputPermutation()).asType(g.dtype());
        Tensor gc = g.transpose(plan.outputPermutation());
        int[] k = plan.kernelSize(), s = plan.strides(), kd = plan.kernelDilation(), ld = plan.inputDilation();
        int[] lo = plan.padLow(), sp = plan.spatial(), q = plan.outSize();
        int[] plo = new int[n], phi = new int[n];
        for (int a = 0; a < n; a++) {
            int di = ConvPlan.dilate(sp[a], ld[a]);
            int dq = ConvPlan.dilate(q[a], s[a]);
            plo[a] = lo[a];
            phi[a] = (k[a] - 1) * kd[a] + dq - di - lo[a];
        }
        int[] swap = new int[r];
        swap[0] = 1; swap[1] = 0;
        for (int a = 2; a < r; a++) swap[a] = a;
        ConvOptions opts = ConvOptions.defaults()
                .withStrides(AxisValues.of(kd))
                .withKernelDilation(AxisValues.of(s))
                .withInputDilation(AxisValues.of(ld))
                .withPadding(Padding.explicit(plo, phi))
                .withInputPermutation(swap)
                .withKernelPermutation(swap)
                .withOutputPermutation(swap)
                .withBatchGroupSize(plan.featureGroups())
                .withFeatureGroupSize(plan.batchGroups());
        ConvPlan p = ConvPlan.of(xc.shape(), xc.dtype(), gc.shape(), gc.dtype(), opts);
        Tensor dwc = backend.conv(p, xc, gc);
        return dwc.transpose(inverse(plan.kernelPermutation()));
    }

    /** argsort of a permutation. */
    static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
        return inv;
    }
}
