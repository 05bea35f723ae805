package dev.convolve.train;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory figures of the running process: live heap after a collection, and the peak resident set size. */
public final class Memory {
    private Memory() {}

    /** Heap in use after a full collection, in MiB (the live set: what would grow if something leaked). */
    public static double liveHeapMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    /** Peak resident set size (VmHWM from /proc/self/status) in MiB, or -1 when not on Linux. */
    public static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) / 1024.0;
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }
}
