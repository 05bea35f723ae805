package dev.convolve.bench.jmh;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import dev.convolve.backend.Threads;
import dev.convolve.backend.WindowReduction;
import dev.convolve.bench.BenchCase;
import dev.convolve.bench.BenchCases;
import dev.convolve.ops.Window;
import dev.convolve.plan.WindowPlan;
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

/** JMH: the pooling rows of the standard table (8x64x112x112), forward, and max pooling's gradient routing. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:+UseParallelGC", "-Xmx6g"})
public class PoolBenchmark {

    @Param({"maxpool-2x2-s2", "avgpool-2x2-s2", "maxpool-3x3-s2-p1", "avgpool-3x3-s2-p1"})
    public String shape;

    @Param({"2"})
    public int threads;

    Backend backend;
    BenchCase c;
    WindowPlan plan;
    Tensor x, ones;

    @Setup(Level.Trial)
    public void setUp() {
        c = BenchCases.named(shape);
        if (c == null || c.kind() == BenchCase.Kind.CONV) throw new IllegalArgumentException("not a pooling case of the standard table: " + shape);
        Threads.setThreads(threads);
        backend = Backends.current();
        x = Tensor.randomNormal(1, DType.F32, 0, 1, c.input());
        plan = WindowPlan.of("window_max", x.shape(), x.dtype(), c.windowOptions());
        ones = Tensor.ones(DType.F32, plan.outputShape().dims());
    }

    @Benchmark
    public Tensor forward() {
        return c.kind() == BenchCase.Kind.MAX_POOL ? backend.window(plan, WindowReduction.MAX, x) : Window.mean(x, c.windowOptions());
    }

    @Benchmark
    public void maxForwardBackward(Blackhole bh) {
        bh.consume(backend.window(plan, WindowReduction.MAX, x));
        bh.consume(backend.windowSelectScatter(plan, true, x, ones));
    }
}
