package dev.convolve.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.autograd.GradCheck;
import dev.convolve.autograd.Variable;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayersTest {

    @Test
    void simpleCnnSummaryMatchesTheSeed() {
        for (Layout layout : Layout.values()) {
            Module m = Models.create("simple-cnn", 0, layout);
            assertEquals(5274, m.parameterCount());
            List<Summary.Row> rows = Summary.rows(m, 1, 28, 28);
            long[] convParams = rows.stream().filter(r -> r.layer().startsWith("Conv2d")).mapToLong(Summary.Row::parameters).toArray();
            assertArrayEquals(new long[] {40, 296, 1168, 2320, 1450}, convParams);
            assertArrayEquals(new int[] {1, 4, 14, 14}, rows.get(1).outputShape(), "0.0 conv");
            assertArrayEquals(new int[] {1, 10}, rows.get(rows.size() - 1).outputShape(), "flatten");
            String table = Summary.of(m, 1, 28, 28);
            assertTrue(table.contains("[N, 8, 7, 7]") && table.endsWith("Total parameters: 5274" + System.lineSeparator()), table);
        }
        // PyTorch's state_dict names: simple_cnn[0][0].weight ... simple_cnn[4].bias
        assertEquals(List.of("0.0.weight", "0.0.bias", "1.0.weight", "1.0.bias", "2.0.weight", "2.0.bias", "3.0.weight", "3.0.bias", "4.weight", "4.bias"),
                List.copyOf(Models.create("simple-cnn", 0).namedParameters().keySet()));
    }

    @Test
    void otherModelsHaveTheirDocumentedSizes() {
        assertEquals(61706, Models.create("lenet5", 0).parameterCount());
        Module r = Models.create("resnet", 0);
        assertEquals(73082, r.parameterCount(), "resnet (the same count as the equivalent PyTorch module)");
        assertEquals(7 * 2, r.namedBuffers().size(), "running mean and var of 7 batch norms");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.create("vgg", 0));
        assertEquals("model: unknown model 'vgg', expected one of simple-cnn, lenet5, resnet", e.getMessage());
    }

    @Test
    void bothLayoutsComputeTheSameFunctionAndGradients() {
        for (String name : Models.NAMES) {
            Module a = Models.create(name, 7, Layout.BATCH_FIRST), b = Models.create(name, 7, Layout.BATCH_LAST);
            Tensor x = Tensor.randomUniform(3, DType.F32, 0, 1, 37, 1, 28, 28);
            Tensor y = Tensor.randomUniform(4, DType.S32, 0, 10, 37);
            Variable la = Losses.crossEntropy(a.apply(x), y), lb = Losses.crossEntropy(b.apply(x), y);
            assertEquals(la.value().item(), lb.value().item(), 1e-5, name);
            la.backward();
            lb.backward();
            Map<String, Variable> pa = a.namedParameters(), pb = b.namedParameters();
            for (String k : pa.keySet()) {
                Tensor ga = pa.get(k).grad(), gb = pb.get(k).grad();
                double scale = Math.max(1e-3, ga.abs().reduceMax().item());
                // f32 sums in different orders; back-propagating through batch norm cancels a lot (on resnet the f32
                // gradients of either layout are ~0.7% off the f64 ones), so this catches layout bugs, O(1) errors
                assertTrue(ga.maxAbsDiff(gb) <= 1.5e-2 * scale + 1e-6, name + " " + k + " differs by " + ga.maxAbsDiff(gb) + " of " + scale);
            }
        }
    }

    @Test
    void convLayersKeepPlansPerInputShape() {
        // More input shapes than the layer keeps plans for, in turn and again: always the result of a fresh plan.
        Conv c = Conv.conv2d(3, 5, 3, 2, 1);
        for (int round = 0; round < 2; round++) {
            for (int n : new int[] {1, 4, 2, 7, 3, 5, 4}) {
                Tensor x = Tensor.randomUniform(n, DType.F32, -1, 1, n, 3, 9, 9);
                Tensor want = dev.convolve.autograd.Functional.convBias(Variable.constant(x), c.weight(), c.bias(), c.options(), false).value();
                assertArrayEquals(want.toFloatArray(), c.apply(x).value().toFloatArray(), 0f, "batch " + n);
            }
        }
        dev.convolve.plan.ConvPlan plan = c.plan(2, 3, 9, 9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                dev.convolve.autograd.Functional.conv(Variable.constant(Tensor.zeros(DType.F32, 1, 3, 9, 9)), c.weight(), plan));
        assertTrue(e.getMessage().startsWith("conv: the plan was made for input f32[2][3][9][9]"), e.getMessage());
    }

    @Test
    void pytorchDefaultInitBounds() {
        Conv c = Conv.conv2d(16, 8, 3, 1, 1);
        c.initialize(5);
        double bound = 1 / Math.sqrt(16 * 9);
        assertTrue(c.weight().value().abs().reduceMax().item() <= bound);
        assertTrue(c.weight().value().abs().reduceMax().item() > 0.9 * bound);
        assertTrue(c.bias().value().abs().reduceMax().item() <= bound);
        Dense d = new Dense(400, 120);
        d.initialize(1);
        assertTrue(d.weight().value().abs().reduceMax().item() <= 1 / Math.sqrt(400));
        Tensor k = Init.kaimingNormal().create(3, DType.F64, new int[] {64, 32, 3, 3});
        assertEquals(Math.sqrt(2.0 / (32 * 9)), Math.sqrt(k.square().mean().item()), 0.01);
        Tensor g = Init.glorotUniform().create(3, DType.F64, new int[] {50, 30});
        assertTrue(g.abs().reduceMax().item() <= Math.sqrt(6.0 / 80));
    }

    @Test
    void batchNormTrainModeGradientsInDoublePrecision() {
        for (Layout layout : Layout.values()) {
            BatchNorm bn = new BatchNorm(3).inLayout(layout);
            bn.to(DType.F64);
            int[] shape = layout == Layout.BATCH_FIRST ? new int[] {4, 3, 2, 5} : new int[] {3, 2, 5, 4};
            Tensor x = GradCheck.random(1, shape).multiply(3).add(1);
            Tensor gamma = GradCheck.random(2, 3), beta = GradCheck.random(3, 3);
            GradCheck.check("batch norm " + layout, v -> {
                bn.parameter("weight").assign(v[1].value());
                bn.parameter("bias").assign(v[2].value());
                return BatchNormProbe.apply(bn, v[0], v[1], v[2]);
            }, x, gamma, beta);
        }
    }

    @Test
    void batchNormStatisticsAsPyTorch() {
        BatchNorm bn = new BatchNorm(2);
        Tensor x = Tensor.fromFloats(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        Tensor y = bn.apply(x).value();
        // channel 0 holds 1, 2, 5, 6: mean 3.5, biased var 4.25
        assertEquals((1 - 3.5) / Math.sqrt(4.25 + 1e-5), y.get(0, 0, 0), 1e-5);
        assertEquals(0.1 * 3.5, bn.runningMean().get().getFlat(0), 1e-6);
        assertEquals(0.9 + 0.1 * 4.25 * 4 / 3, bn.runningVar().get().getFlat(0), 1e-5);
        bn.eval();
        Tensor e = bn.apply(x).value();
        assertEquals((1 - 0.35) / Math.sqrt(0.9 + 0.1 * 4.25 * 4 / 3 + 1e-5), e.get(0, 0, 0), 1e-5);
    }

    @Test
    void dropoutScalesAndIsIdentityInEvaluation() {
        Dropout d = new Dropout(0.25, 3);
        Tensor x = Tensor.ones(DType.F32, 10000);
        Tensor y = d.apply(x).value();
        double kept = 0;
        for (int i = 0; i < y.size(); i++) {
            double v = y.getFlat(i);
            assertTrue(v == 0 || Math.abs(v - 4.0 / 3) < 1e-6);
            if (v != 0) kept++;
        }
        assertEquals(0.75, kept / y.size(), 0.02);
        d.eval();
        assertTrue(d.apply(x).value().contentEquals(x));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
    }

    @Test
    void poolingAndGlobalAverage() {
        Tensor x = Tensor.iota(DType.F32, 1, 1, 4, 4);
        assertEquals("[[[[5.0, 7.0], [13.0, 15.0]]]]", Pool.max2d(2).apply(x).value().valuesString());
        assertEquals("[[[[2.5, 4.5], [10.5, 12.5]]]]", Pool.avg2d(2).apply(x).value().valuesString());
        assertEquals("[[7.5]]", new GlobalAvgPool().apply(x).value().valuesString());
        Tensor xl = x.transpose(1, 2, 3, 0);
        assertEquals("[[[[5.0], [7.0]], [[13.0], [15.0]]]]", Pool.max2d(2).inLayout(Layout.BATCH_LAST).apply(xl).value().valuesString());
    }

    @Test
    void layerErrorsNameTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dense(3, 2).apply(Tensor.zeros(DType.F32, 4, 5)));
        assertEquals("dense: expected input [N, 3], got f32[4][5]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm(3).apply(Tensor.zeros(DType.F32, 4, 5, 2)));
        assertEquals("batch norm: expected 3 channels on axis 1 (BATCH_FIRST), got f32[4][5][2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.conv2d(3, 4, 3, 1, 0).apply(Tensor.zeros(DType.F32, 1, 2, 5, 5)));
        assertTrue(e.getMessage().startsWith("conv: input channels / feature group size must equal kernel input channels, but 2 / 1 != 3"), e.getMessage());
    }

    @Test
    void fusedBatchNormReluAndResidualAddMatchTheUnfusedOps() {
        for (Layout layout : Layout.values()) {
            int[] shape = layout == Layout.BATCH_FIRST ? new int[] {6, 5, 7, 3} : new int[] {5, 7, 3, 6};
            Tensor x = Tensor.randomUniform(1, DType.F32, -2, 3, shape), g = Tensor.randomUniform(2, DType.F32, -1, 1, shape);
            BatchNorm a = new BatchNorm(5).inLayout(layout), b = new BatchNorm(5).inLayout(layout);
            a.initialize(3);
            b.initialize(3);
            a.parameter("weight").assign(Tensor.randomUniform(4, DType.F32, 0.5, 1.5, 5));
            b.parameter("weight").assign(a.parameter("weight").value());
            Variable xa = Variable.parameter(x), xb = Variable.parameter(x);
            Variable ya = a.forwardRelu(xa), yb = b.apply(xb).relu();
            assertTrue(ya.value().maxAbsDiff(yb.value()) < 1e-5, layout + " forward");
            ya.backward(g);
            yb.backward(g);
            assertTrue(xa.grad().maxAbsDiff(xb.grad()) < 1e-5, layout + " dx " + xa.grad().maxAbsDiff(xb.grad()));
            assertTrue(a.parameter("weight").grad().maxAbsDiff(b.parameter("weight").grad()) < 1e-4, layout + " dgamma");
            assertTrue(a.parameter("bias").grad().maxAbsDiff(b.parameter("bias").grad()) < 1e-4, layout + " dbeta");
            assertTrue(a.runningVar().get().maxAbsDiff(b.runningVar().get()) < 1e-6, layout + " running var");
        }
        Tensor p = Tensor.randomUniform(5, DType.F32, -1, 1, 3, 70000), q = Tensor.randomUniform(6, DType.F32, -1, 1, 3, 70000);
        Variable pa = Variable.parameter(p), qa = Variable.parameter(q), pb = Variable.parameter(p), qb = Variable.parameter(q);
        Variable fused = pa.addRelu(qa), plain = pb.add(qb).relu();
        assertEquals(0, fused.value().maxAbsDiff(plain.value()));
        fused.sum().backward();
        plain.sum().backward();
        assertEquals(0, pa.grad().maxAbsDiff(pb.grad()));
        assertEquals(0, qa.grad().maxAbsDiff(qb.grad()));
    }
}
