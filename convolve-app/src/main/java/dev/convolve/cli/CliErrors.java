package dev.convolve.cli;

import java.util.concurrent.Callable;

/**
 * Keeps the operator commands' error lines short: {@code convolve conv: <message>} rather than
 * {@code convolve conv: conv: <message>} when the message already starts with the operation's name.
 */
final class CliErrors {
    private CliErrors() {}

    /** Runs {@code body}; an {@link IllegalArgumentException} whose message starts with one of {@code ops} + ": " loses that prefix. */
    static int guard(Callable<Integer> body, String... ops) throws Exception {
        try {
            return body.call();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            for (String op : ops) {
                if (m.startsWith(op + ": ")) {
                    IllegalArgumentException s = new IllegalArgumentException(m.substring(op.length() + 2), e);
                    s.setStackTrace(e.getStackTrace());
                    throw s;
                }
            }
            throw e;
        }
    }
}
