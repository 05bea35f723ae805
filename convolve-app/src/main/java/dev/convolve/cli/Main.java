package dev.convolve.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code convolve}: the command line. Each subcommand is a class of its own in this package.
 * Bad input never shows a stack trace: the command prints one line on stderr and exits non-zero.
 */
@Command(name = "convolve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Convolutions in pure Java: the operator, learning, and applications.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command tree with every subcommand registered. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Object c : Commands.all()) cl.addSubcommand(c);
        cl.setExecutionExceptionHandler(new OneLineErrors());
        cl.setParameterExceptionHandler(OneLineErrors::parameterError);
        return cl;
    }

    /** Runs the command line and returns its exit code (0 success, 1 runtime failure, 2 bad input). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs with the given output streams (for tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"convolve " + (v == null ? "0.1.0-SNAPSHOT" : v) + " on Java " + Runtime.version()};
        }
    }
}
