package dev.convolve.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The subcommands of {@code convolve}, in the order {@code --help} lists them. Each area registers its commands
 * under its own heading (keep the headings: they keep merges of different areas apart).
 */
final class Commands {
    private Commands() {}

    static List<Object> all() {
        List<Object> c = new ArrayList<>();
        // -- learning (issue 4) --

        // -- operators on .npy files (issue 2) --
        c.addAll(List.of(new ConvCommand(), new ConvTransposeCommand(), new PadCommand(), new WindowCommand(), new PoolCommand(), new GlobalPoolCommand(), new TourCommand()));
        // -- images and the web studio (issue 5) --
        c.addAll(List.of(new FilterCommand(), new KernelsCommand(), new ShowCommand(), new ServeCommand()));
        // -- benchmarks (issue 3) --
        c.add(new BenchCommand());

        return c;
    }
}
