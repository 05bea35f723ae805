package dev.convolve.cli;

import dev.convolve.vision.Kernel;
import dev.convolve.vision.Kernels;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code convolve kernels [NAME...]}: the kernel library with matrices. */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = {"Lists the kernels 'convolve filter' knows, with their matrices (cross-correlation: not flipped).",
            "Give names (or matrices) to show only those, with --size/--sigma for gaussian and box."})
final class KernelsCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "kernels to show (default: all)")
    List<String> names = new ArrayList<>();

    @Option(names = "--sigma", paramLabel = "S", description = "sigma of gaussian kernels")
    Double sigma;

    @Option(names = "--size", paramLabel = "K", description = "size of gaussian and box kernels")
    Integer size;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (names.isEmpty()) {
            Kernels.KernelParams p = new Kernels.KernelParams(size == null ? 0 : size, sigma == null ? 0 : sigma);
            for (Kernels.Entry e : Kernels.catalogue()) print(out, e.kernel(p), e.description());
            StringBuilder aliases = new StringBuilder();
            for (Map.Entry<String, String> a : new java.util.TreeMap<>(Kernels.aliases()).entrySet()) {
                if (!aliases.isEmpty()) aliases.append(", ");
                aliases.append(a.getKey()).append(" = ").append(a.getValue());
            }
            out.println("aliases: " + aliases);
            out.println("custom: any matrix, rows separated by ';', e.g. --kernel \"1,0,-1;2,0,-2;1,0,-1\" (fractions like 1/16 allowed)");
        } else {
            List<Kernel> ks = FilterChain.kernels(names, size, sigma);
            for (int i = 0; i < ks.size(); i++) {
                String n = names.get(i).trim();
                String d = Character.isLetter(n.charAt(0)) ? Kernels.entry(n.contains(":") ? n.substring(0, n.indexOf(':')) : n).description() : "custom kernel";
                print(out, ks.get(i), d);
            }
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, Kernel k, String description) {
        out.printf("%s  %dx%d%s  sum %s%n", k.name(), k.rows(), k.cols(), k.separable().isPresent() ? "  separable" : "",
                trim(k.sum()));
        out.println("  " + description);
        for (String line : k.matrixString().split("\n")) out.println("  " + line);
        out.println();
    }

    private static String trim(double v) {
        double r = Math.abs(v - Math.rint(v)) < 1e-9 ? Math.rint(v) + 0.0 : v;
        return r == Math.rint(r) ? Long.toString((long) r) : String.format(java.util.Locale.ROOT, "%.6g", r);
    }
}
