package dev.convolve.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the machine is and how busy it is: cores, CPU model, {@code /proc/loadavg}, and other processes' CPU use from {@code /proc/stat}. */
public final class Machine {
    private Machine() {}

    /** Cores the JVM may use. */
    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The first "model name" of {@code /proc/cpuinfo}, or "unknown CPU". */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown CPU";
    }

    /** The 1-, 5- and 15-minute load averages of {@code /proc/loadavg}, or null when it cannot be read. */
    public static double[] loadAverage() {
        try {
            return parseLoadAverage(Files.readString(Path.of("/proc/loadavg")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Parses the text of {@code /proc/loadavg} ("0.52 0.58 0.59 1/467 12345"). */
    static double[] parseLoadAverage(String text) {
        String[] f = text.strip().split("\\s+");
        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    }

    /**
     * How many cores' worth of CPU time the machine used over {@code millis} (from the "cpu" line of {@code /proc/stat};
     * this process sleeps meanwhile, so it is other processes' use), or NaN when {@code /proc/stat} cannot be read.
     */
    public static double busyCores(long millis) throws InterruptedException {
        long[] a = cpuTimes();
        Thread.sleep(millis);
        long[] b = cpuTimes();
        if (a == null || b == null) return Double.NaN;
        return busyCores(a, b, cores());
    }

    /** Busy cores between two "cpu" lines' jiffies (user nice system idle iowait irq softirq steal ...). */
    static double busyCores(long[] before, long[] after, int cores) {
        long total = 0, idle = 0;
        for (int i = 0; i < Math.min(before.length, after.length) && i < 8; i++) {
            long d = after[i] - before[i];
            total += d;
            if (i == 3 || i == 4) idle += d;
        }
        return total <= 0 ? 0 : (double) (total - idle) / total * cores;
    }

    private static long[] cpuTimes() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            return parseCpuLine(lines.getFirst());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The jiffies of a {@code /proc/stat} "cpu" line. */
    static long[] parseCpuLine(String line) {
        String[] f = line.strip().split("\\s+");
        if (!f[0].equals("cpu")) throw new IllegalArgumentException("not the cpu line of /proc/stat: " + line);
        long[] v = new long[f.length - 1];
        for (int i = 1; i < f.length; i++) v[i - 1] = Long.parseLong(f[i]);
        return v;
    }
}
