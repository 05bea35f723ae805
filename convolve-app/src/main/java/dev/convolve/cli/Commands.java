package dev.convolve.cli;

import java.util.List;

/** The subcommands of {@code convolve}, in the order {@code --help} lists them. Add a command here to register it. */
final class Commands {
    private Commands() {}

    static List<Object> all() {
        return List.of(
                new FilterCommand(), new KernelsCommand(), new ShowCommand(), new ServeCommand()
        );
    }
}
