package dev.convolve.cli;

import dev.convolve.ops.Pad;
import dev.convolve.ops.PadMode;
import dev.convolve.plan.PadConfig;
import dev.convolve.tensor.Tensor;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code convolve pad INPUT.npy -o OUT.npy --value 0 --config 1:1:0,0:2:1} (Nx's {@code pad}: low, high and
 * interior padding per axis with a constant; negative low/high crop) and
 * {@code --mode reflect|mirror|replicate|cyclic --config 1:1,2:2} (Nx's {@code pad_outer} with a mode).
 */
@Command(name = "pad", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pads a tensor with a constant (Nx.pad) or by reflecting, mirroring, replicating or wrapping its edges.", "", "Pads a tensor: with a constant (Nx.pad, low:high:interior per axis; negative low/high crop), or by reflecting, mirroring, replicating or wrapping its edges (Nx.pad_outer; low:high per axis). Result type as Nx: an integer tensor padded with an integer --value keeps its type (widened if the value does not fit); with a float value (2.0) it becomes f32; float tensors keep their type."})
final class PadCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT.npy", description = "The tensor to pad (any rank).")
    Path input;

    @Mixin CliTensors io;

    @Option(names = "--config", paramLabel = "CONFIG", required = true,
            description = "One low:high:interior (or low:high) per axis, separated by commas, e.g. 1:1:0,0:2:1. Interior padding (values between elements) is for the constant mode only.")
    String config;

    @Option(names = "--value", paramLabel = "V",
            description = "The constant (default 0). 2 is an integer, 2.0 a float; inf, -inf and nan are floats.")
    String value;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "constant",
            description = "constant (default), reflect (mirror without the edge, numpy/ONNX reflect), mirror (with the edge, numpy symmetric), replicate (repeat the edge, ONNX edge), cyclic (wrap around, numpy wrap, PyTorch circular).")
    String mode;

    @Override
    public Integer call() throws Exception {
        return CliErrors.guard(this::run, "pad");
    }

    private int run() throws Exception {
        io.printLimit();
        PadMode m = PadMode.parse(mode);
        Number v = value == null ? Long.valueOf(0) : CliArgs.number("--value", value);
        if (m != PadMode.CONSTANT && value != null) {
            throw new IllegalArgumentException("pad: --value applies to the constant mode only, not to --mode " + mode.trim());
        }
        PadConfig c = parseConfig(config);
        Tensor x = CliTensors.read(input, "input");
        Tensor y;
        if (m == PadMode.CONSTANT) {
            y = v instanceof Long l ? Pad.pad(x, l.longValue(), c) : Pad.pad(x, v.doubleValue(), c);
        } else {
            c.outputShape(x.shape()); // rank and size checks with Nx's message
            y = Pad.padOuter(x, m, c);
        }
        io.emit(y, spec.commandLine().getOut());
        return 0;
    }

    /** {@code lo:hi[:interior]} per axis; an empty text is the configuration of a scalar. */
    static PadConfig parseConfig(String text) {
        if (text.isBlank()) return new PadConfig(new int[0], new int[0], new int[0]);
        return PadConfig.parse(text);
    }
}
