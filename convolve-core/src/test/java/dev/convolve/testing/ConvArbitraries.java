package dev.convolve.testing;

import dev.convolve.plan.AxisValues;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik arbitraries for random, always valid conv calls: 1 to 4 spatial axes; per axis a kernel size, kernel and
 * input dilation, stride and explicit (possibly negative) padding; Nx same, stride-aware same-upper / same-lower,
 * valid or explicit padding; feature or batch groups; identity, random or layout-string permutations; every type
 * pair. Input sizes are drawn from awkward values (1, 2, 3, 5, 7, 13, 31): either raised to the smallest size the
 * options accept, or added to it. The multiply-add count is capped so that hundreds of cases run in seconds.
 */
public final class ConvArbitraries {
    private ConvArbitraries() {}

    /** Work cap (taps over the materialised, dilated kernel) per case. */
    static final long MAX_WORK = 150_000;

    public enum PadKind { VALID, SAME, SAME_UPPER, SAME_LOWER, EXPLICIT }

    public enum GroupKind { NONE, FEATURE, BATCH }

    public enum LayoutKind { IDENTITY, RANDOM, STRINGS }

    record AxisSpec(int k, int kd, int s, int ld, int lo, int hi, int size, boolean beyondMinimum) {}

    record Channels(GroupKind kind, int groups, int kernelIn, int outMultiple, int batchPerGroup) {}

    /** Conv cases over every type pair (integer, float and mixed). */
    public static Arbitrary<ConvCase> convCases() { return convCases(typePairs(), true); }

    /** Conv cases whose input and kernel both have type {@code t}. */
    public static Arbitrary<ConvCase> convCases(DType t) { return convCases(Arbitraries.just(new DType[] {t, t}), true); }

    /** Conv cases with the given type pairs ({input, kernel}); batch groups only when {@code batchGroups}. */
    public static Arbitrary<ConvCase> convCases(Arbitrary<DType[]> types, boolean batchGroups) {
        Arbitrary<Integer> rank = Arbitraries.frequency(Tuple.of(2, 1), Tuple.of(4, 2), Tuple.of(3, 3), Tuple.of(1, 4));
        return rank.flatMap(n -> Combinators.combine(
                        axisSpec(n).list().ofSize(n),
                        Arbitraries.frequency(Tuple.of(2, PadKind.VALID), Tuple.of(2, PadKind.SAME), Tuple.of(1, PadKind.SAME_UPPER),
                                Tuple.of(1, PadKind.SAME_LOWER), Tuple.of(4, PadKind.EXPLICIT)),
                        channels(batchGroups),
                        Arbitraries.frequency(Tuple.of(4, LayoutKind.IDENTITY), Tuple.of(4, LayoutKind.RANDOM), Tuple.of(2, LayoutKind.STRINGS)),
                        types,
                        Arbitraries.longs(),
                        Arbitraries.integers().between(0, 99))
                .as((axes, pad, ch, layout, ty, seed, roll) -> build(axes, pad, ch, layout, ty, seed, roll < 15)))
                .withoutEdgeCases(); // jqwik's edge cases (every choice at its minimum) would crowd out real cases
    }

    /** Type pairs {input, kernel}: equal float types, random integer pairs, and mixed integer/float pairs. */
    public static Arbitrary<DType[]> typePairs() {
        Arbitrary<DType> ints = Arbitraries.of(DType.U8, DType.U16, DType.U32, DType.U64, DType.S8, DType.S16, DType.S32, DType.S64);
        Arbitrary<DType> floats = Arbitraries.of(DType.F32, DType.F64, DType.F16, DType.BF16);
        Arbitrary<DType> all = Arbitraries.of(DType.values());
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(new DType[] {DType.F32, DType.F32})),
                Tuple.of(2, floats.map(t -> new DType[] {t, t})),
                Tuple.of(3, Combinators.combine(ints, ints).as((a, b) -> new DType[] {a, b})),
                Tuple.of(2, Combinators.combine(all, all).as((a, b) -> new DType[] {a, b})));
    }

    static Arbitrary<AxisSpec> axisSpec(int n) {
        boolean small = n >= 3;
        Arbitrary<Integer> k = small ? Arbitraries.integers().between(1, 3) : Arbitraries.of(1, 2, 3, 4, 5);
        Arbitrary<Integer> dil = Arbitraries.integers().between(1, small ? 2 : 3);
        Arbitrary<Integer> stride = Arbitraries.integers().between(1, 3);
        Arbitrary<Integer> pad = Arbitraries.integers().between(-2, 3);
        Arbitrary<Integer> size = switch (n) {
            case 1 -> Arbitraries.of(1, 2, 3, 5, 7, 13, 31);
            case 2 -> Arbitraries.of(1, 2, 3, 5, 7, 13);
            case 3 -> Arbitraries.of(1, 2, 3, 5);
            default -> Arbitraries.of(1, 2, 3);
        };
        return Combinators.combine(k, dil, stride, dil, pad, pad, size, Arbitraries.of(false, true)).as(AxisSpec::new);
    }

    static Arbitrary<Channels> channels(boolean batchGroups) {
        Arbitrary<GroupKind> kind = batchGroups
                ? Arbitraries.frequency(Tuple.of(6, GroupKind.NONE), Tuple.of(3, GroupKind.FEATURE), Tuple.of(2, GroupKind.BATCH))
                : Arbitraries.frequency(Tuple.of(6, GroupKind.NONE), Tuple.of(3, GroupKind.FEATURE));
        return Combinators.combine(kind, Arbitraries.integers().between(2, 3), Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 2)).as(Channels::new);
    }

    static ConvCase build(List<AxisSpec> axes, PadKind padKind, Channels ch, LayoutKind layoutKind, DType[] types, long seed, boolean wide) {
        int n = axes.size(), r = n + 2;
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] k = new int[n], kd = new int[n], s = new int[n], ld = new int[n], lo = new int[n], hi = new int[n], size = new int[n], min = new int[n];
        for (int i = 0; i < n; i++) {
            AxisSpec a = axes.get(i);
            k[i] = a.k();
            kd[i] = a.kd();
            s[i] = a.s();
            ld[i] = (padKind == PadKind.SAME_UPPER || padKind == PadKind.SAME_LOWER) ? 1 : a.ld();
            lo[i] = padKind == PadKind.EXPLICIT ? a.lo() : 0;
            hi[i] = padKind == PadKind.EXPLICIT ? a.hi() : 0;
            int dk = (k[i] - 1) * kd[i] + 1;
            // valid / explicit: (S - 1) * ld + 1 + lo + hi >= DK; the same paddings always fit.
            min[i] = (padKind == PadKind.VALID || padKind == PadKind.EXPLICIT)
                    ? Math.max(1, -Math.floorDiv(-(dk - lo[i] - hi[i] - 1), ld[i]) + 1) : 1;
            size[i] = a.beyondMinimum() ? min[i] + a.size() - 1 : Math.max(a.size(), min[i]);
        }
        int gf = ch.kind() == GroupKind.FEATURE ? ch.groups() : 1;
        int gb = ch.kind() == GroupKind.BATCH ? ch.groups() : 1;
        int ci = ch.kernelIn(), c = ci * gf;
        int o = (ch.kind() == GroupKind.NONE ? 1 : ch.groups()) * ch.outMultiple() + (ch.kind() == GroupKind.NONE ? ch.batchPerGroup() - 1 : 0);
        int batch = gb * ch.batchPerGroup() + (gb == 1 ? rnd.nextInt(2) : 0);
        if (work(batch / gb, o, ci, size, k, kd, s, ld, lo, hi, padKind) > MAX_WORK) size = min.clone();

        int[] canonIn = Index.concat(batch, c, size), canonK = Index.concat(o, ci, k);
        int[] ip = Index.identity(r), kp = Index.identity(r), op = Index.identity(r);
        String[] layout = null;
        if (layoutKind == LayoutKind.RANDOM) {
            ip = TestTensors.permutation(r, rnd);
            kp = TestTensors.permutation(r, rnd);
            op = TestTensors.permutation(r, rnd);
        } else if (layoutKind == LayoutKind.STRINGS) {
            ip = TestTensors.permutation(r, rnd);
            op = TestTensors.permutation(r, rnd);
            kp = kernelPermKeepingSpatialOrder(r, rnd);
            layout = layoutStrings(ip, kp, op);
        }
        Tensor input = TestTensors.random(types[0], TestTensors.physical(canonIn, ip), rnd.nextLong(), wide);
        Tensor kernel = TestTensors.random(types[1], TestTensors.physical(canonK, kp), rnd.nextLong(), wide);

        ConvOptions opts = ConvOptions.defaults()
                .withStrides(axisValues(s, rnd))
                .withInputDilation(axisValues(ld, rnd))
                .withKernelDilation(axisValues(kd, rnd))
                .withFeatureGroupSize(gf)
                .withBatchGroupSize(gb)
                .withPadding(switch (padKind) {
                    case VALID -> Padding.valid();
                    case SAME -> Padding.same();
                    case SAME_UPPER -> Padding.sameUpper();
                    case SAME_LOWER -> Padding.sameLower();
                    case EXPLICIT -> Padding.explicit(lo, hi);
                });
        if (layout != null) {
            opts = opts.withLayout(layout[0], layout[1], layout[2]);
        } else if (layoutKind == LayoutKind.RANDOM) {
            opts = opts.withInputPermutation(ip).withKernelPermutation(kp).withOutputPermutation(op);
        } else if (rnd.nextInt(4) == 0) {
            opts = opts.withInputPermutation(ip).withKernelPermutation(kp).withOutputPermutation(op); // identities spelled out
        }
        return new ConvCase(input, kernel, opts, ip, kp, op, layout);
    }

    /** One value for all axes when they agree (half of the time), else the list. */
    static AxisValues axisValues(int[] v, SplittableRandom rnd) {
        boolean same = true;
        for (int x : v) same &= x == v[0];
        return same && rnd.nextBoolean() ? AxisValues.all(v[0]) : AxisValues.of(v);
    }

    static long work(int outBatch, int o, int ci, int[] size, int[] k, int[] kd, int[] s, int[] ld, int[] lo, int[] hi, PadKind pk) {
        long w = (long) outBatch * o * ci;
        for (int i = 0; i < size.length; i++) {
            int dk = (k[i] - 1) * kd[i] + 1;
            int di = (size[i] - 1) * ld[i] + 1;
            int padded = switch (pk) {
                case VALID -> di;
                case EXPLICIT -> di + lo[i] + hi[i];
                default -> di + dk + s[i];
            };
            w *= (long) (Math.max(padded - dk, 0) / s[i] + 1) * dk;
        }
        return w;
    }

    /** O and I anywhere, the spatial axes in increasing physical order (layout strings order them by the kernel). */
    static int[] kernelPermKeepingSpatialOrder(int r, SplittableRandom rnd) {
        int oPos = rnd.nextInt(r);
        int iPos;
        do iPos = rnd.nextInt(r); while (iPos == oPos);
        int[] p = new int[r];
        p[0] = oPos;
        p[1] = iPos;
        for (int pos = 0, j = 2; pos < r; pos++) if (pos != oPos && pos != iPos) p[j++] = pos;
        return p;
    }

    private static final char[] SPATIAL = {'H', 'W', 'D', 'T'};

    /** Layout strings whose letters sit where the permutations put the canonical axes. */
    static String[] layoutStrings(int[] ip, int[] kp, int[] op) {
        return new String[] {letters(ip, 'N', 'C'), letters(kp, 'O', 'I'), letters(op, 'N', 'C')};
    }

    private static String letters(int[] perm, char first, char second) {
        char[] s = new char[perm.length];
        s[perm[0]] = first;
        s[perm[1]] = second;
        for (int i = 2; i < perm.length; i++) s[perm[i]] = SPATIAL[i - 2];
        return new String(s);
    }
}
