package dev.convolve.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one clear line on stderr: {@code convolve conv: <message>}. Bad input (an
 * {@link IllegalArgumentException} or a command-line error) exits with 2; I/O failures exit with 1.
 * Set {@code CONVOLVE_DEBUG=1} to see stack traces.
 */
final class OneLineErrors implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        if (System.getenv("CONVOLVE_DEBUG") != null) ex.printStackTrace(cl.getErr());
        String name = cl.getCommandSpec().qualifiedName();
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        String msg;
        int code;
        if (t instanceof NoSuchFileException nf) {
            msg = "no such file: " + nf.getFile();
            code = 2;
        } else if (t instanceof IllegalArgumentException) {
            msg = t.getMessage();
            code = 2;
        } else if (t instanceof IOException) {
            msg = t.getMessage() == null ? t.toString() : t.getMessage();
            code = 1;
        } else {
            msg = t.toString();
            code = 1;
        }
        cl.getErr().println(name + ": " + oneLine(msg));
        cl.getErr().flush();
        return code;
    }

    static int parameterError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage()) + " (see --help)");
        cl.getErr().flush();
        return 2;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
