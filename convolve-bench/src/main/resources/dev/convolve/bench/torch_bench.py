"""PyTorch side of `convolve bench --compare`: times the same shapes in the same process tree.
Protocol: one JSON command per line on stdin, one JSON answer per line on stdout.
  {"op": "time", "id": 3, "case": {...}, "backward": false, "seconds": 0.1} -> {"seconds_per_call": ...}
  {"op": "quit"}
Usage: torch_bench.py THREADS"""
import json, sys, time

def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    try:
        import torch, torch.nn.functional as F
    except Exception as e:  # report in one line, the Java side prints it
        print(json.dumps({"error": "cannot import torch: %s" % e}), flush=True)
        return
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    built = {}

    def build(case, backward):
        x = torch.randn(*case["input"])
        kind, stride, pad = case["kind"], case["stride"], case["pad"]
        n = len(case["input"]) - 2
        if kind == "conv":
            conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[n]
            w = torch.randn(*case["kernel"]) * 0.1
            g = case["groups"]
            if not backward:
                def f():
                    with torch.no_grad():
                        conv(x, w, stride=stride, padding=pad, groups=g)
                return f
            xg = x.clone().requires_grad_(); wg = w.clone().requires_grad_()
            def fb():
                y = conv(xg, wg, stride=stride, padding=pad, groups=g); y.sum().backward()
            return fb
        k = case["kernel"]
        if kind == "maxpool":
            pool = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[n]
        else:
            pool = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}[n]
        if not backward:
            def p():
                with torch.no_grad():
                    pool(x, k, stride, pad)
            return p
        xg = x.clone().requires_grad_()
        def pb():
            pool(xg, k, stride, pad).sum().backward()
        return pb

    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd.get("op") == "quit":
            break
        key = (cmd["id"], cmd["backward"])
        try:
            if key not in built:
                fn = build(cmd["case"], cmd["backward"])
                fn(); fn()
                built[key] = fn
            fn = built[key]
            budget = cmd["seconds"]
            n, t0 = 0, time.perf_counter()
            while True:
                fn(); n += 1
                t = time.perf_counter() - t0
                if t >= budget:
                    break
            print(json.dumps({"seconds_per_call": t / n, "calls": n}), flush=True)
        except Exception as e:
            print(json.dumps({"error": str(e).splitlines()[0] if str(e) else type(e).__name__}), flush=True)

main()
