#!/usr/bin/env python3
"""Times convolve's filters and OpenCV's side by side, interleaved, on the same machine and in the same run.

Runs `dev.convolve.vision.bench.FilterTimings` (Java), `../shared/anchors/cv_filter.py` (OpenCV, 2 threads) and
`cv_filter_cpu.py` (the same OpenCV calls, also timing CPU) alternately ROUNDS times, and prints for each case the
median wall-clock times and their ratio convolve / OpenCV (below 1: convolve is faster), then the same for the CPU
time per call (all threads of the process), which other people's load on the machine does not inflate.
Usage, from the repository root after a build (`./convolve --help` builds the jar):

    /usr/bin/python3 convolve-vision/bench/compare_opencv.py [ROUNDS]
"""
import os, re, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAR = os.path.join(ROOT, "convolve-app", "target", "convolve-all.jar")


def find_anchor():
    """../shared/anchors/cv_filter.py beside the repository (or beside one of its parents, for git worktrees)."""
    d = ROOT
    while os.path.dirname(d) != d:
        p = os.path.join(os.path.dirname(d), "shared", "anchors", "cv_filter.py")
        if os.path.exists(p):
            return p
        d = os.path.dirname(d)
    sys.exit("compare_opencv: no ../shared/anchors/cv_filter.py beside the repository")


ANCHOR = find_anchor()
PAIRS = [  # (convolve row, OpenCV row)
    ("convolve gaussian u8 1080p rgb 5x5", "opencv GaussianBlur u8 1080p rgb 5x5"),
    ("convolve gaussian u8 1080p rgb 15x15", "opencv GaussianBlur u8 1080p rgb 15x15"),
    ("convolve direct f32 1080p rgb 5x5 (non-separable)", "opencv filter2D f32 1080p rgb 5x5 (non-separable)"),
    ("convolve direct f32 1080p rgb 15x15 (non-separable)", "opencv filter2D f32 1080p rgb 15x15 (non-separable)"),
    ("convolve sobel-x f32 1080p rgb 3x3", "opencv Sobel f32 1080p rgb 3x3"),
]


def java_home():
    out = subprocess.run(["bash", "-c", f". '{ROOT}/scripts/jdk.sh' && echo $JAVA_HOME"], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def parse(text, cpu=False):
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^(.*?)\s+([0-9.]+) ms(?:\s+\(cpu\s+([0-9.]+) ms\))?$", line.strip())
        if m and (not cpu or m.group(3)):
            rows[m.group(1).strip()] = float(m.group(3) if cpu else m.group(2))
    return rows


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    java = os.path.join(java_home(), "bin", "java")
    times, cpu = {}, {}
    header = None
    cpu_script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cv_filter_cpu.py")
    for r in range(rounds):
        j = subprocess.run([java, "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-cp", JAR,
                            "dev.convolve.vision.bench.FilterTimings", "3", "0.5"], capture_output=True, text=True, check=True)
        header = next((l for l in j.stdout.splitlines() if l.startswith("#")), header)
        if os.environ.get("VERBOSE"):
            print(j.stdout, file=sys.stderr)
        c = subprocess.run(["/usr/bin/python3", ANCHOR, "2"], capture_output=True, text=True, check=True)
        u = subprocess.run(["/usr/bin/python3", cpu_script, "2"], capture_output=True, text=True, check=True)
        for name, t in list(parse(j.stdout).items()) + list(parse(c.stdout).items()):
            times.setdefault(name, []).append(t)
        for name, t in list(parse(j.stdout, True).items()) + list(parse(u.stdout, True).items()):
            cpu.setdefault(name, []).append(t)
        load = os.getloadavg()[0]
        print(f"round {r + 1}/{rounds} done (load average {load:.1f})", file=sys.stderr)
    print(header)
    print(f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'case':55s} {'convolve ms':>12s} {'OpenCV ms':>10s} {'ratio':>7s}   {'cpu ms':>8s} {'OpenCV cpu':>10s} {'ratio':>7s}")
    for ours, theirs in PAIRS:
        a, b = statistics.median(times[ours]), statistics.median(times[theirs])
        ca, cb = statistics.median(cpu[ours]), statistics.median(cpu[theirs])
        print(f"{ours:55s} {a:12.2f} {b:10.2f} {a / b:7.2f}   {ca:8.2f} {cb:10.2f} {ca / cb:7.2f}")


if __name__ == "__main__":
    main()
