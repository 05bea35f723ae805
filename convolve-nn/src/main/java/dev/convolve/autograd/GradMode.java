package dev.convolve.autograd;

/**
 * Whether operations record themselves for {@link Variable#backward()} on the current thread. Recording is on by
 * default; turn it off for inference and evaluation (PyTorch's {@code torch.no_grad()}):
 *
 * {@snippet :
 * try (GradMode.Scope s = GradMode.disabled()) {
 *     Variable logits = model.forward(images);   // nothing is recorded
 * }
 * }
 */
public final class GradMode {
    private GradMode() {}

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    /** True when operations on this thread record their backward rule. */
    public static boolean isEnabled() { return ENABLED.get()[0]; }

    /** A scope that restores the previous mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override void close();
    }

    /** Turns recording off until the returned scope is closed. */
    public static Scope disabled() { return set(false); }

    /** Turns recording on until the returned scope is closed. */
    public static Scope enabled() { return set(true); }

    private static Scope set(boolean on) {
        boolean[] flag = ENABLED.get();
        boolean before = flag[0];
        flag[0] = on;
        return () -> flag[0] = before;
    }
}
