package dev.convolve.backend;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much the JIT has compiled so far, in milliseconds: on Linux the CPU time of the compiler threads (which also
 * grows during a long compilation that has not finished yet), elsewhere the JVM's total compilation time. Warm-ups
 * (training's, the benchmarks') run until it stops growing: a kernel can run slowly but steadily for seconds before
 * C2 has compiled it.
 */
public final class JitActivity {
    private static final Path TASKS = Path.of("/proc/self/task");
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    private final boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    private final boolean threads = Files.isDirectory(TASKS);

    /** True when this JVM reports something (else {@link #millis()} is always 0). */
    public boolean available() { return timed || threads; }

    /** Milliseconds of compilation so far (the compiler threads' CPU time is counted in clock ticks of 10 ms). */
    public long millis() {
        if (threads) {
            long t = compilerThreadTicks();
            if (t >= 0) return t * 10;
        }
        return timed ? jit.getTotalCompilationTime() : 0;
    }

    /** The compiler threads' CPU time in clock ticks (USER_HZ, 100 per second on Linux), or -1. */
    private static long compilerThreadTicks() {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path t : tasks) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                if (open < 0 || close < open) continue;
                String name = stat.substring(open + 1, close);
                if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) continue;
                // Fields after the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
                String[] f = stat.substring(close + 2).split(" ");
                if (f.length > 12) ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks;
    }
}
