package dev.convolve.autograd;

import static dev.convolve.autograd.GradCheck.check;
import static dev.convolve.autograd.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Window sum/mean/max/min/product gradients with strides, padding and dilations. */
class WindowGradTest {

    @Test
    void randomWindows() {
        SplittableRandom r = new SplittableRandom(7);
        int done = 0;
        for (int trial = 0; done < 40 && trial < 1000; trial++) {
            int rank = 1 + r.nextInt(4);
            int[] shape = new int[rank], w = new int[rank], s = new int[rank], d = new int[rank], lo = new int[rank], hi = new int[rank];
            for (int i = 0; i < rank; i++) {
                shape[i] = 1 + r.nextInt(rank > 2 ? 5 : 8);
                w[i] = 1 + r.nextInt(3);
                s[i] = 1 + r.nextInt(3);
                d[i] = 1 + r.nextInt(2);
                lo[i] = r.nextInt(3);
                hi[i] = r.nextInt(3);
            }
            WindowOptions o = WindowOptions.of(w).withStrides(s).withWindowDilations(d).withPadding(Padding.explicit(lo, hi));
            boolean ok = true;
            for (int i = 0; i < rank; i++) ok &= shape[i] + lo[i] + hi[i] >= (w[i] - 1) * d[i] + 1;
            if (!ok) continue;
            // Distinct values so max/min have no ties.
            Tensor x = Tensor.iota(DType.F64, shape).multiply(0.37).sin().add(random(trial, shape).multiply(1e-3));
            String what = o + " on " + x.describe();
            check("window sum " + what, v -> Functional.windowSum(v[0], o), 1, 1e-6, x);
            check("window mean " + what, v -> Functional.windowMean(v[0], o), 1, 1e-6, x);
            // A window lying wholly in padding has no real element: 0 / 0 (as Nx's window_sum(x) / window_sum(ones)).
            boolean emptyWindow = Double.isNaN(Functional.windowMean(Variable.constant(x), o.withCountIncludePad(false)).value().sum().item());
            if (!emptyWindow) check("window mean exclude pad " + what, v -> Functional.windowMean(v[0], o.withCountIncludePad(false)), 1, 1e-6, x);
            if (!emptyWindow) { // an all-padding window holds -Inf / +Inf: differences are NaN
                check("window max " + what, v -> Functional.windowMax(v[0], o), 1, 1e-6, x);
                check("window min " + what, v -> Functional.windowMin(v[0], o), 1, 1e-6, x);
            }
            check("window product " + what, v -> Functional.windowProduct(v[0], o), 1, 1e-6, x);
            done++;
        }
    }

    @Test
    void negativePaddingCrops() {
        Tensor x = random(3, 2, 9);
        WindowOptions o = WindowOptions.of(1, 3).withStrides(1, 2).withPadding(0, 0, -1, -2);
        check("window sum negative padding", v -> Functional.windowSum(v[0], o), x);
        check("window max negative padding", v -> Functional.windowMax(v[0], o), x);
    }

    @Test
    void maxPoolRoutesToTheChosenElement() {
        // probml: 3x3 max pooling over iota 4x4 picks 10, 11, 14, 15.
        Variable x = Variable.parameter(Tensor.iota(DType.F64, 4, 4));
        Functional.windowMax(x, WindowOptions.of(3, 3)).sum().backward();
        double[] expect = new double[16];
        expect[10] = expect[11] = expect[14] = expect[15] = 1;
        assertArrayEquals(expect, x.grad().toDoubleArray());
    }

    @Test
    void selectRoutesByPredicate() {
        Tensor p = Tensor.of(new int[] {1, 0, 1}).asType(DType.U8);
        check("select", v -> Functional.select(p, v[0], v[1]), random(1, 3), random(2, 2, 3));
    }
}
