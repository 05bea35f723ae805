package dev.convolve.bench;

import dev.convolve.backend.Backend;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.WindowPlan;
import java.lang.reflect.Method;

/**
 * Asks a backend what it will run, when it can say (the fast backend's planner); found by reflection so the
 * harness also times backends that cannot explain themselves.
 */
final class Explain {
    private Explain() {}

    static String conv(Backend b, ConvPlan p) { return call(b, "explain", ConvPlan.class, p); }

    static String gradInput(Backend b, ConvPlan p) { return call(b, "explainGradInput", ConvPlan.class, p); }

    static String gradKernel(Backend b, ConvPlan p) { return call(b, "explainGradKernel", ConvPlan.class, p); }

    static String window(Backend b, WindowPlan p) { return call(b, "explainWindow", WindowPlan.class, p); }

    static String windowGradient(Backend b, WindowPlan p) { return call(b, "explainWindowGradient", WindowPlan.class, p); }

    static String windowSumGradient(Backend b, WindowPlan p) { return call(b, "explainWindowSumGradient", WindowPlan.class, p); }

    private static String call(Backend b, String method, Class<?> type, Object arg) {
        try {
            Method m = b.getClass().getMethod(method, type);
            Object r = m.invoke(b, arg);
            if (r == null) return b.name();
            String s = r.toString();
            int paren = s.indexOf(" (");
            return paren > 0 ? s.substring(0, paren) : s;
        } catch (ReflectiveOperationException e) {
            return b.name();
        }
    }

    /** The full explanation (algorithm and reason), or the backend's name. */
    static String full(Backend b, ConvPlan p) {
        try {
            return String.valueOf(b.getClass().getMethod("explain", ConvPlan.class).invoke(b, p));
        } catch (ReflectiveOperationException e) {
            return b.name();
        }
    }
}
