package dev.convolve.testing;

import dev.convolve.plan.AxisValues;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * An independent oracle for {@code conv}, written from SPEC.md section 2.3 in a formulation unlike the reference
 * backend's: transpose both operands to canonical layout, <em>materialise</em> the input with interior (input
 * dilation) and edge padding (step 4) and the kernel with its dilation, slide the dilated kernel over it with
 * plain loops, then lay the result out with the output permutation. It resolves padding itself (valid, Nx same,
 * stride-aware same-upper/lower, explicit) and does not use {@code ConvPlan}.
 *
 * <p>Integer x integer convolutions are summed exactly (overflowing into {@link BigInteger}) and rounded once into
 * f32; everything else is summed in double precision and rounded once into the output type. With each output the
 * oracle reports the sum of the absolute values of its terms, the scale of any summation error.
 */
public final class ConvOracle {
    private ConvOracle() {}

    /**
     * The oracle's answer.
     *
     * @param value     the result in SPEC's output type and physical layout
     * @param magnitude per output element (same physical order), the sum of |term| over the taps; 0 for exact results
     * @param exact     true when the inputs are both integer (the result is then the exactly rounded sum)
     * @param padLow    the resolved low padding per spatial axis
     * @param padHigh   the resolved high padding per spatial axis
     */
    public record Result(Tensor value, double[] magnitude, boolean exact, int[] padLow, int[] padHigh) {}

    /** The resolved numbers of one conv, from the definitions. */
    record Geometry(int n, int[] s, int[] ld, int[] kd, int[] lo, int[] hi, int[] q) {}

    /** SPEC 2.4: {@code to_floating(merge(input, kernel))}. */
    public static DType outputType(DType input, DType kernel) {
        return DType.merge(input, kernel).toFloating();
    }

    public static Result conv(Tensor input, Tensor kernel, ConvOptions o) {
        int r = input.rank();
        if (r < 3 || kernel.rank() != r) throw new IllegalArgumentException("oracle: bad ranks " + input.describe() + " " + kernel.describe());
        int n = r - 2;
        int[] ip = perm(o.inputPermutation(), r), kp = perm(o.kernelPermutation(), r), op = perm(o.outputPermutation(), r);
        Canonical x = Canonical.of(input, ip);
        Canonical w = Canonical.of(kernel, kp);
        int bigN = x.dims[0], c = x.dims[1], bigO = w.dims[0], ci = w.dims[1];
        int gf = o.featureGroupSize(), gb = o.batchGroupSize();
        if (c != ci * gf || bigO % gf != 0 || bigN % gb != 0 || bigO % gb != 0 || (gb > 1 && gf > 1)) {
            throw new IllegalArgumentException("oracle: invalid groups");
        }
        int[] sp = Arrays.copyOfRange(x.dims, 2, r), k = Arrays.copyOfRange(w.dims, 2, r);
        Geometry g = geometry(sp, k, o);

        // Step 4: P = pad(x, 0, [{0,0,0}, {0,0,0}, {lo_i, hi_i, ld_i - 1}...]), by the index mapping of SPEC 1.
        int[] pDims = new int[r];
        pDims[0] = bigN;
        pDims[1] = c;
        for (int i = 0; i < n; i++) pDims[i + 2] = dil(sp[i], g.ld[i]) + g.lo[i] + g.hi[i];
        int[] pSrc = new int[Index.size(pDims)]; // flat canonical-x position, or -1 for a zero
        {
            int[] idx = new int[r], xst = Index.strides(x.dims);
            int f = 0;
            if (pSrc.length > 0) {
                do {
                    int src = idx[0] * xst[0] + idx[1] * xst[1];
                    for (int i = 0; i < n && src >= 0; i++) {
                        int rel = idx[i + 2] - g.lo[i];
                        if (rel < 0 || rel % g.ld[i] != 0 || rel / g.ld[i] >= sp[i]) src = -1;
                        else src += (rel / g.ld[i]) * xst[i + 2];
                    }
                    pSrc[f++] = src;
                } while (Index.next(idx, pDims));
            }
        }
        // The dilated kernel: KD[o, c, u] = w[o, c, u / kd] when u % kd == 0, else 0.
        int[] dkDims = new int[r];
        dkDims[0] = bigO;
        dkDims[1] = ci;
        for (int i = 0; i < n; i++) dkDims[i + 2] = dil(k[i], g.kd[i]);
        int[] kSrc = new int[Index.size(dkDims)];
        {
            int[] idx = new int[r], wst = Index.strides(w.dims);
            int f = 0;
            if (kSrc.length > 0) {
                do {
                    int src = idx[0] * wst[0] + idx[1] * wst[1];
                    for (int i = 0; i < n && src >= 0; i++) {
                        if (idx[i + 2] % g.kd[i] != 0) src = -1;
                        else src += (idx[i + 2] / g.kd[i]) * wst[i + 2];
                    }
                    kSrc[f++] = src;
                } while (Index.next(idx, dkDims));
            }
        }

        boolean exact = input.dtype().isInteger() && kernel.dtype().isInteger();
        DType outType = outputType(input.dtype(), kernel.dtype());
        int outN = bigN / gb;
        int[] canonOut = new int[r];
        canonOut[0] = outN;
        canonOut[1] = bigO;
        System.arraycopy(g.q, 0, canonOut, 2, n);
        int total = Index.size(canonOut);
        double[] val = new double[total], mag = new double[total];
        int[] pst = Index.strides(pDims), kst = Index.strides(dkDims);
        int[] dk = Arrays.copyOfRange(dkDims, 2, r);
        int perF = bigO / gf, perB = bigO / gb;
        int[] out = new int[r];
        int f = 0;
        do {
            int b = out[0], oc = out[1];
            int grpF = oc / perF, grpB = oc / perB;
            int inB = grpB * outN + b;
            long accL = 0;
            BigInteger accBig = null;
            double accD = 0, accM = 0;
            for (int cc = 0; cc < ci; cc++) {
                int inC = grpF * ci + cc;
                int[] u = new int[n];
                do {
                    int pOff = inB * pst[0] + inC * pst[1], kOff = oc * kst[0] + cc * kst[1];
                    for (int i = 0; i < n; i++) {
                        pOff += (out[i + 2] * g.s[i] + u[i]) * pst[i + 2];
                        kOff += u[i] * kst[i + 2];
                    }
                    int xs = pSrc[pOff], ws = kSrc[kOff];
                    if (xs < 0 || ws < 0) continue; // a zero of the padding or of the kernel dilation
                    if (exact) {
                        if (accBig == null && Values.fitsLong(x.t, xs) && Values.fitsLong(w.t, ws)) {
                            try {
                                accL = Math.addExact(accL, Math.multiplyExact(x.t.getFlatLong(xs), w.t.getFlatLong(ws)));
                                continue;
                            } catch (ArithmeticException overflow) {
                                accBig = BigInteger.valueOf(accL);
                            }
                        }
                        if (accBig == null) accBig = BigInteger.valueOf(accL);
                        accBig = accBig.add(Values.exact(x.t, xs).multiply(Values.exact(w.t, ws)));
                    } else {
                        double term = x.t.getFlat(xs) * w.t.getFlat(ws);
                        accD += term;
                        accM += Math.abs(term);
                    }
                } while (n > 0 && Index.next(u, dk));
            }
            if (exact) val[f] = accBig != null ? accBig.floatValue() : (float) accL; // one rounding (JLS: long -> float rounds to nearest)
            else {
                val[f] = accD;
                mag[f] = accM;
            }
            f++;
        } while (Index.next(out, canonOut));

        // Step 9: canonical axis i lands on physical axis op[i].
        int[] phys = new int[r];
        for (int i = 0; i < r; i++) phys[op[i]] = canonOut[i];
        double[] pv = new double[total], pm = new double[total];
        int[] physSt = Index.strides(phys);
        int[] idx = new int[r];
        f = 0;
        do {
            int to = 0;
            for (int i = 0; i < r; i++) to += idx[i] * physSt[op[i]];
            pv[to] = val[f];
            pm[to] = mag[f];
            f++;
        } while (Index.next(idx, canonOut));
        Tensor value = exact ? Values.floats(DType.F32, Shape.of(phys), pv) : Values.floats(outType, Shape.of(phys), pv);
        return new Result(value, pm, exact, g.lo.clone(), g.hi.clone());
    }

    /** Strides, dilations, padding and output size per spatial axis, from SPEC 2.3 steps 2, 3 and 5 and SPEC 4 (SAME). */
    static Geometry geometry(int[] sp, int[] k, ConvOptions o) {
        int n = sp.length;
        int[] s = axis(o.strides(), n), ld = axis(o.inputDilation(), n), kd = axis(o.kernelDilation(), n);
        int[] lo = new int[n], hi = new int[n], q = new int[n];
        for (int i = 0; i < n; i++) {
            int di = dil(sp[i], ld[i]), dk = dil(k[i], kd[i]);
            switch (o.padding()) {
                case Padding.Valid v -> { }
                case Padding.Same same -> {
                    int t = Math.max(dk - 1, 0);
                    lo[i] = t / 2;
                    hi[i] = t - t / 2;
                }
                case Padding.SameUpper su -> {
                    int outSize = -Math.floorDiv(-sp[i], s[i]);
                    int t = Math.max(0, (outSize - 1) * s[i] + dk - sp[i]);
                    lo[i] = t / 2;
                    hi[i] = t - t / 2;
                }
                case Padding.SameLower sl -> {
                    int outSize = -Math.floorDiv(-sp[i], s[i]);
                    int t = Math.max(0, (outSize - 1) * s[i] + dk - sp[i]);
                    lo[i] = t - t / 2;
                    hi[i] = t / 2;
                }
                case Padding.Explicit e -> {
                    lo[i] = e.low()[i];
                    hi[i] = e.high()[i];
                }
            }
            int padded = di + lo[i] + hi[i];
            if (padded < dk) throw new IllegalArgumentException("oracle: empty output on axis " + i);
            q[i] = Math.floorDiv(padded - dk, s[i]) + 1;
        }
        return new Geometry(n, s, ld, kd, lo, hi, q);
    }

    static int dil(int size, int d) { return size == 0 ? 0 : (size - 1) * d + 1; }

    static int[] axis(AxisValues v, int n) { return v.expand("oracle", "values", n, ""); }

    static int[] perm(int[] p, int r) { return p == null ? Index.identity(r) : p; }

    /** A tensor read in canonical axis order through its permutation: canonical axis i is physical axis perm[i]. */
    record Canonical(Tensor t, int[] dims) {
        static Canonical of(Tensor physical, int[] perm) {
            int r = physical.rank();
            int[] dims = new int[r], st = physical.shape().strides(), cst = new int[r];
            for (int i = 0; i < r; i++) {
                dims[i] = physical.dim(perm[i]);
                cst[i] = st[perm[i]];
            }
            // Copy into canonical row-major order so that flat canonical offsets index the copy.
            double[] d = new double[Index.size(dims)];
            long[] l = new long[d.length];
            int[] idx = new int[r];
            int f = 0;
            if (d.length > 0) {
                do {
                    int src = Index.offset(idx, cst);
                    l[f] = physical.getFlatLong(src);
                    d[f] = physical.getFlat(src);
                    f++;
                } while (Index.next(idx, dims));
            }
            DType t = physical.dtype();
            Tensor copy = t.isInteger() ? Values.integers(t, Shape.of(dims), l) : Values.floats(t, Shape.of(dims), d);
            return new Canonical(copy, dims);
        }
    }
}
