package dev.convolve.cli;

import dev.convolve.vision.Kernel;
import dev.convolve.vision.Kernels;
import java.util.ArrayList;
import java.util.List;

/** Turns the {@code --kernel}, {@code --size} and {@code --sigma} options into kernels (shared by filter, kernels, show). */
final class FilterChain {
    private FilterChain() {}

    /**
     * The kernels named by {@code specs}, with {@code size} and {@code sigma} (null when not given) as defaults for
     * the kernels that take them.
     *
     * @throws IllegalArgumentException for an unknown kernel, or a size/sigma no kernel of the chain takes
     */
    static List<Kernel> kernels(List<String> specs, Integer size, Double sigma) {
        if (specs == null || specs.isEmpty()) throw new IllegalArgumentException("give at least one --kernel (see 'convolve kernels')");
        if (size != null && (size < 1 || size > Kernel.MAX_SIDE)) throw new IllegalArgumentException("--size must be between 1 and " + Kernel.MAX_SIDE + ", got " + size);
        if (sigma != null && !(sigma > 0 && sigma < 1e6)) throw new IllegalArgumentException("--sigma must be positive, got " + sigma);
        Kernels.KernelParams defaults = new Kernels.KernelParams(size == null ? 0 : size, sigma == null ? 0 : sigma);
        List<Kernel> out = new ArrayList<>();
        boolean takesSize = false, takesSigma = false;
        for (String s : specs) {
            out.add(Kernels.spec(s, defaults));
            String t = s.trim();
            if (!t.isEmpty() && Character.isLetter(t.charAt(0))) {
                Kernels.Entry e = Kernels.entry(t.contains(":") ? t.substring(0, t.indexOf(':')) : t);
                takesSize |= e.takesSize();
                takesSigma |= e.takesSigma();
            }
        }
        if (size != null && !takesSize) throw new IllegalArgumentException("--size applies to gaussian and box kernels only");
        if (sigma != null && !takesSigma) throw new IllegalArgumentException("--sigma applies to gaussian kernels only");
        return out;
    }
}
