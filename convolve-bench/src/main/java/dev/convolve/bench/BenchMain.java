package dev.convolve.bench;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain entry point to the harness for development runs without the CLI:
 * {@code BenchMain [threads] [--torch] [--backward] [name-or-N,C,H,W,K,R,S...]}.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        int threads = 2;
        boolean torch = false, backward = false;
        int rounds = 5;
        List<BenchCase> cases = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--torch")) torch = true;
            else if (a.equals("--backward")) backward = true;
            else if (a.startsWith("--rounds=")) rounds = Integer.parseInt(a.substring(9));
            else if (a.matches("\\d+")) threads = Integer.parseInt(a);
            else if (BenchCases.named(a) != null) cases.add(BenchCases.named(a));
            else if (a.contains(",")) cases.add(BenchCase.parse(a));
            else for (BenchCase c : BenchCases.standard()) if (c.name().contains(a)) cases.add(c);
        }
        if (cases.isEmpty()) cases = BenchCases.standard();
        Backend b = Backends.current();
        double peak = System.getProperty("peak") != null ? Double.parseDouble(System.getProperty("peak")) : Peak.gflops(threads);
        PrintWriter out = new PrintWriter(System.out, true);
        out.printf("# backend %s, peak %.1f GFLOP/s on %d thread(s)%n", b, peak, threads);
        ConvBench.run(new ConvBench.Options(cases, backward, threads, torch, rounds, 0.1, peak, 2.0, false), b, new BenchTable(out, false, torch));
    }
}
