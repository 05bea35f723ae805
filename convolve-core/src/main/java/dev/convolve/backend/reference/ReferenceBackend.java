package dev.convolve.backend.reference;

import dev.convolve.backend.Backend;
import dev.convolve.backend.WindowReduction;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.Buffers;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.math.BigInteger;

/**
 * The oracle: every kernel written straight from the definition with plain loops. Integer convolutions sum
 * exactly (in 64 bits, continuing in {@link BigInteger} when that would overflow or a u64 value does not fit a
 * long), float ones in double precision, and the result is rounded once into the output type.
 * Physical layouts (permutations) are handled by indexing, never by copying.
 */
public final class ReferenceBackend implements Backend {

    @Override
    public String name() { return "reference"; }

    @Override
    public Tensor conv(ConvPlan p, Tensor input, Tensor kernel) {
        int n = p.spatialRank();
        int[] xs = canonicalStrides(p.inputShape(), p.inputPermutation());
        int[] ks = canonicalStrides(p.kernelShape(), p.kernelPermutation());
        int[] os = canonicalStrides(p.outputShape(), p.outputPermutation());
        int[] q = p.outSize(), k = p.kernelSize(), s = p.strides(), lo = p.padLow(), ld = p.inputDilation(), kd = p.kernelDilation(), sp = p.spatial();

        // tap[i][qi * K_i + ti] = offset of the input element read by tap ti at output qi along axis i, or -1 for a zero.
        int[][] tap = new int[n][];
        for (int i = 0; i < n; i++) {
            int di = ConvPlan.dilate(sp[i], ld[i]);
            tap[i] = new int[q[i] * k[i]];
            for (int qi = 0; qi < q[i]; qi++) {
                for (int ti = 0; ti < k[i]; ti++) {
                    int pos = qi * s[i] + ti * kd[i] - lo[i];
                    boolean real = pos >= 0 && pos < di && pos % ld[i] == 0;
                    tap[i][qi * k[i] + ti] = real ? (pos / ld[i]) * xs[i + 2] : -1;
                }
            }
        }
        int nq = product(q), nk = product(k);
        int[][] qIdx = unravelAll(q, nq);
        int[][] tIdx = unravelAll(k, nk);
        int[] kOff = new int[nk];
        for (int t = 0; t < nk; t++) {
            for (int i = 0; i < n; i++) kOff[t] += tIdx[t][i] * ks[i + 2];
        }
        int[] qOff = new int[nq];
        for (int qf = 0; qf < nq; qf++) {
            for (int i = 0; i < n; i++) qOff[qf] += qIdx[qf][i] * os[i + 2];
        }

        boolean integer = input.dtype().isInteger() && kernel.dtype().isInteger();
        DType outType = p.outputType();
        Object out = Buffers.allocate(outType, p.outputShape().size());
        int outBatch = p.outBatch(), oc = p.outChannels(), ic = p.kernelChannels();
        int perFeatureGroup = oc / p.featureGroups(), perBatchGroup = oc / p.batchGroups();
        long[] xl = integer ? input.toLongArray() : null, kl = integer ? kernel.toLongArray() : null;
        boolean inU64 = input.dtype() == DType.U64, kU64 = kernel.dtype() == DType.U64;
        double[] xd = integer ? null : input.toDoubleArray(), kdv = integer ? null : kernel.toDoubleArray();

        for (int b = 0; b < outBatch; b++) {
            for (int o = 0; o < oc; o++) {
                int gf = o / perFeatureGroup, gb = o / perBatchGroup;
                int inBatch = gb * outBatch + b;
                for (int qf = 0; qf < nq; qf++) {
                    int[] qi = qIdx[qf];
                    long suml = 0;
                    BigInteger big = null; // takes over when the 64-bit sum would overflow, or for u64 values >= 2^63
                    double sumd = 0;
                    for (int c = 0; c < ic; c++) {
                        int base = inBatch * xs[0] + (gf * ic + c) * xs[1];
                        int kbase = o * ks[0] + c * ks[1];
                        for (int t = 0; t < nk; t++) {
                            int[] ti = tIdx[t];
                            int off = base;
                            boolean real = true;
                            for (int i = 0; i < n; i++) {
                                int v = tap[i][qi[i] * k[i] + ti[i]];
                                if (v < 0) { real = false; break; }
                                off += v;
                            }
                            if (!real) continue;
                            if (integer) {
                                long a = xl[off], w = kl[kbase + kOff[t]];
                                if (big == null && !(inU64 && a < 0) && !(kU64 && w < 0)) {
                                    try {
                                        suml = Math.addExact(suml, Math.multiplyExact(a, w));
                                        continue;
                                    } catch (ArithmeticException overflow) {
                                        big = BigInteger.valueOf(suml);
                                    }
                                }
                                if (big == null) big = BigInteger.valueOf(suml);
                                big = big.add(exact(a, inU64).multiply(exact(w, kU64)));
                            } else {
                                sumd += xd[off] * kdv[kbase + kOff[t]];
                            }
                        }
                    }
                    int at = b * os[0] + o * os[1] + qOff[qf];
                    if (integer) Buffers.setDouble(outType, out, at, big != null ? exactToDouble(big, outType) : exactToDouble(suml, outType));
                    else Buffers.setDouble(outType, out, at, sumd);
                }
            }
        }
        return Tensor.wrap(outType, p.outputShape(), out);
    }

    /** An exact integer rounded once into a float type. */
    private static double exactToDouble(BigInteger v, DType outType) {
        if (outType == DType.F32) return v.floatValue();
        return v.doubleValue();
    }

    private static BigInteger exact(long v, boolean u64) {
        BigInteger b = BigInteger.valueOf(v);
        return u64 && v < 0 ? b.add(BigInteger.ONE.shiftLeft(64)) : b;
    }

    /** A long rounded once into a float type (going through double could round twice for f32). */
    private static double exactToDouble(long v, DType outType) {
        if (outType == DType.F32) return (float) v;
        return (double) v;
    }

    @Override
    public Tensor window(WindowPlan p, WindowReduction op, Tensor input) {
        WindowWalk w = new WindowWalk(p);
        DType t = input.dtype();
        Object out = Buffers.allocate(t, p.outputShape().size());
        if (t.isInteger()) {
            long[] x = input.toLongArray();
            long id = op.integerIdentity(t);
            boolean unsigned = t.isUnsigned();
            w.forEachOutput((o, offsets, count, real) -> {
                long acc = op == WindowReduction.SUM ? 0 : op == WindowReduction.PRODUCT ? 1 : id;
                for (int j = 0; j < count; j++) {
                    long v = real[j] ? x[offsets[j]] : id;
                    acc = switch (op) {
                        case SUM -> acc + v;
                        case PRODUCT -> acc * v;
                        case MAX -> (unsigned ? Long.compareUnsigned(v, acc) > 0 : v > acc) ? v : acc;
                        case MIN -> (unsigned ? Long.compareUnsigned(v, acc) < 0 : v < acc) ? v : acc;
                    };
                }
                Buffers.setLong(t, out, o, t.wrap(acc));
            });
        } else {
            double[] x = input.toDoubleArray();
            double id = op.floatIdentity();
            w.forEachOutput((o, offsets, count, real) -> {
                double acc = id;
                for (int j = 0; j < count; j++) {
                    double v = real[j] ? x[offsets[j]] : id;
                    acc = switch (op) {
                        case SUM -> acc + v;
                        case PRODUCT -> acc * v;
                        case MAX -> (Double.isNaN(v) || v > acc) ? v : acc;
                        case MIN -> (Double.isNaN(v) || v < acc) ? v : acc;
                    };
                }
                Buffers.setDouble(t, out, o, acc);
            });
        }
        return Tensor.wrap(t, p.outputShape(), out);
    }

    @Override
    public Tensor windowSelectScatter(WindowPlan p, boolean max, Tensor input, Tensor source) {
        WindowWalk w = new WindowWalk(p);
        double[] x = input.toDoubleArray();
        double[] src = source.toDoubleArray();
        double[] acc = new double[input.size()];
        w.forEachOutput((o, offsets, count, real) -> {
            int best = -1;
            double bv = 0;
            for (int j = 0; j < count; j++) {
                if (!real[j]) continue;
                double v = x[offsets[j]];
                if (best < 0 || (max ? v > bv : v < bv) || (Double.isNaN(v) && !Double.isNaN(bv))) {
                    best = offsets[j];
                    bv = v;
                }
            }
            if (best >= 0) acc[best] += src[o];
        });
        DType t = source.dtype();
        Object out = Buffers.allocate(t, acc.length);
        for (int i = 0; i < acc.length; i++) Buffers.setDouble(t, out, i, acc[i]);
        return Tensor.wrap(t, input.shape(), out);
    }

    /** Strides that address physical storage in canonical axis order. */
    static int[] canonicalStrides(Shape physical, int[] perm) {
        int[] st = physical.strides();
        int[] r = new int[perm.length];
        for (int i = 0; i < perm.length; i++) r[i] = st[perm[i]];
        return r;
    }

    static int product(int[] a) {
        int p = 1;
        for (int v : a) p *= v;
        return p;
    }

    /** Row-major multi-indices of every position of {@code dims}. */
    static int[][] unravelAll(int[] dims, int count) {
        int r = dims.length;
        int[][] idx = new int[count][];
        int[] cur = new int[r];
        for (int f = 0; f < count; f++) {
            idx[f] = cur.clone();
            for (int i = r - 1; i >= 0; i--) {
                if (++cur[i] < dims[i]) break;
                cur[i] = 0;
            }
        }
        return idx;
    }
}
