package dev.convolve.testing;

import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on the house error form: an {@link IllegalArgumentException} with a one-line message that names the operation, the rule and the shapes. */
public final class Errors {
    private Errors() {}

    /**
     * Asserts that {@code call} throws an IllegalArgumentException whose single-line message starts with
     * {@code op + ": "} and contains every fragment (the rule, the shapes); returns the message.
     */
    public static String assertRejects(Executable call, String op, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String m = e.getMessage();
        assertTrue(m != null && m.startsWith(op + ": "), () -> "expected a message starting with '" + op + ": ' but got: " + m);
        assertFalse(m.contains("\n"), () -> "message must be one line: " + m);
        for (String f : fragments) assertTrue(m.contains(f), () -> "expected the message to contain '" + f + "' but got: " + m);
        return m;
    }

    /** Asserts the exact message. */
    public static void assertMessage(Executable call, String expected) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
