package dev.convolve.bench.jmh;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import dev.convolve.backend.Threads;
import dev.convolve.bench.BenchCase;
import dev.convolve.bench.BenchCases;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH: the conv rows of the standard table ({@link BenchCases}), forward and forward+backward, on the backend
 * {@code Backends.current()} chooses (the fast one by default) with {@code threads} threads. Run with
 * {@code -prof gc} to see the allocation per call (the result tensors, and nothing else in steady state); {@code forwardInto}
 * writes into one output kept across calls ({@code Backend.convInto}), so what it allocates is the per-call overhead alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:+UseParallelGC", "-Xmx6g"})
public class ConvBenchmark {

    @Param({"fastai-28x28-1img-3x3", "mnist-l1-b256", "mnist-l3-b256", "resnet-56x56-64-64-b8", "vgg-28x28-128-256-b8",
            "pointwise-28x28-256-256-b8", "depthwise-56x56-128-b8", "blur-rgba-256-5x5-s2", "blur-1080p-rgb-15x15",
            "mnist-l2-b256", "mnist-l4-b256", "mnist-l5-b256", "res-28x28-32-32-b64", "res-14x14-64-64-b64", "res-7x7-64-64-b64",
            "res-down-28-14-32-64-b64", "depthwise-28x28-256-s2-b8", "conv1d-4096-64-64-k9", "conv3d-32x64x64-16-32-k3"})
    public String shape;

    @Param({"2"})
    public int threads;

    Backend backend;
    ConvPlan plan;
    Tensor x, w, ones, out;

    @Setup(Level.Trial)
    public void setUp() {
        BenchCase c = BenchCases.named(shape);
        if (c == null || c.kind() != BenchCase.Kind.CONV) throw new IllegalArgumentException("not a conv case of the standard table: " + shape);
        Threads.setThreads(threads);
        backend = Backends.current();
        x = Tensor.randomNormal(1, DType.F32, 0, 1, c.input());
        w = Tensor.randomNormal(2, DType.F32, 0, 0.1, c.kernel());
        plan = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), c.convOptions());
        ones = Tensor.ones(DType.F32, plan.outputShape().dims());
        out = Tensor.zeros(plan.outputType(), plan.outputShape().dims());
    }

    @Benchmark
    public Tensor forward() {
        return backend.conv(plan, x, w);
    }

    @Benchmark
    public Tensor forwardInto() {
        return backend.convInto(plan, x, w, out);
    }

    @Benchmark
    public void forwardBackward(Blackhole bh) {
        bh.consume(backend.conv(plan, x, w));
        bh.consume(backend.convGradInput(plan, w, ones));
        bh.consume(backend.convGradKernel(plan, x, ones));
    }
}
