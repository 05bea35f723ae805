#!/usr/bin/python3
"""Generates the random conformance cases for the operator commands, checked against PyTorch.

Writes, next to this script, ``torch/manifest.json`` (one entry per case: the command line with ``{name}``
placeholders for the input files and ``{out}`` for the result, the expected file, the tolerance) and
``torch/cases.npz`` (every input and expected array, named ``<case>/<name>.npy``). ConformanceTest runs each case
through ``convolve`` in-process and compares shape, dtype and values.

Expected values come from PyTorch where it has the operation (conv, conv_transpose, max/avg/lp pooling, adaptive
pooling, F.pad), computed in float64 and rounded once to the result type; from numpy (``numpy.pad``) or plain
explicit loops where it does not (Nx's interior padding, window ops with Nx's options, batch groups, input dilation
through zero insertion). Result types follow Nx: conv of integers gives f32, window sum/max/min/product keep the
type, window mean and average pooling are floating, pad merges the tensor's type with the constant's.

Run with /usr/bin/python3 (it needs torch and numpy):  /usr/bin/python3 make_torch_cases.py
"""

import io
import json
import warnings
import os
import sys
import zipfile

import numpy as np
import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore", message="Using padding='same'")

SEED = 20240607
rng = np.random.default_rng(SEED)
torch.manual_seed(SEED)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "torch")

cases = []
arrays = {}

NP_OF = {"f16": np.float16, "f32": np.float32, "f64": np.float64, "s8": np.int8, "s16": np.int16, "s32": np.int32,
         "s64": np.int64, "u8": np.uint8, "u16": np.uint16, "u32": np.uint32, "u64": np.uint64}
NX_OF = {np.dtype(v): k for k, v in NP_OF.items()}


def tolerance(dtype):
    """(rtol, atol) for comparing a result of this type; integers compare exactly."""
    return {"f16": (2e-3, 2e-3), "f32": (1e-5, 1e-5), "f64": (1e-12, 1e-12)}.get(dtype, (0.0, 0.0))


def add(family, args, inputs, expected, extra_outputs=None, scale=None):
    """Registers a case. ``args`` use ``{name}`` for inputs and ``{out}``/``{name}`` for outputs."""
    name = "%s_%03d" % (family, sum(1 for c in cases if c["family"] == family))
    files = {}
    for k, v in inputs.items():
        key = "%s/%s.npy" % (name, k)
        arrays[key] = np.ascontiguousarray(v)
        files[k] = key
    outs = {"out": expected}
    outs.update(extra_outputs or {})
    expect = {}
    for k, v in outs.items():
        key = "%s/expected_%s.npy" % (name, k)
        arrays[key] = np.ascontiguousarray(v)
        expect[k] = key
    dtype = NX_OF[np.dtype(expected.dtype)]
    rtol, atol = tolerance(dtype)
    if scale is None:
        scale = float(np.max(np.abs(expected.astype(np.float64)))) if expected.size and dtype.startswith("f") else 1.0
        if not np.isfinite(scale):
            finite = np.abs(expected[np.isfinite(expected)].astype(np.float64))
            scale = float(finite.max()) if finite.size else 1.0
    cases.append({"name": name, "family": family, "args": args, "inputs": files, "expected": expect,
                  "dtype": dtype, "shape": list(expected.shape), "rtol": rtol, "atol": atol * max(1.0, scale)})


def csv(v):
    return ",".join(str(int(x)) for x in v)


def axis_opt(v):
    """A per-axis option, written as one number when all entries agree (half of the time)."""
    if len(set(v)) == 1 and rng.random() < 0.5:
        return str(int(v[0]))
    return csv(v)


def window_axis_opt(v, default):
    """A per-axis window option; one number when it means the same: for rank >= 3 a single number sets the spatial
    axes 2.. only (batch and channel axes keep the default), for rank 1 and 2 every axis."""
    if len(v) >= 3 and v[0] == v[1] == default and len(set(v[2:])) == 1 and rng.random() < 0.5:
        return str(int(v[2]))
    if len(v) < 3 and len(set(v)) == 1 and rng.random() < 0.5:
        return str(int(v[0]))
    return csv(v)


def rand_tensor(shape, dtype):
    if dtype in ("f16", "f32", "f64"):
        return rng.standard_normal(shape).astype(NP_OF[dtype])
    if dtype.startswith("u"):
        return rng.integers(0, 6, size=shape).astype(NP_OF[dtype])
    return rng.integers(-5, 6, size=shape).astype(NP_OF[dtype])


def to_floating(dtype):
    return dtype if dtype in ("f16", "f32", "f64") else "f32"


def merge(a, b):
    """Nx's type merge for two tensor types (enough for the types generated here)."""
    if a == b:
        return a
    fa, fb = a[0] == "f", b[0] == "f"
    if fa or fb:
        if fa and fb:
            return a if int(a[1:]) >= int(b[1:]) else b
        return a if fa else b
    sa, sb = a[0] == "s", b[0] == "s"
    ba, bb = int(a[1:]), int(b[1:])
    if sa == sb:
        return a if ba >= bb else b
    u, s = (ba, bb) if not sa else (bb, ba)
    return "s%d" % max(min(u * 2, 64), s)


def tt(a):
    return torch.from_numpy(np.ascontiguousarray(a).astype(np.float64))


# ---------------------------------------------------------------------------------------------- conv

def conv_case(n):
    g = int(rng.choice([1, 1, 1, 2, 3]))
    i_per = int(rng.integers(1, 4))
    o_per = int(rng.integers(1, 4))
    N = int(rng.integers(1, 4))
    cin, cout = g * i_per, g * o_per
    max_s = {1: 11, 2: 8, 3: 5}[n]
    S = [int(rng.integers(1, max_s + 1)) for _ in range(n)]
    K = [int(rng.integers(1, 5)) for _ in range(n)]
    st = [int(rng.integers(1, 4)) for _ in range(n)]
    dil = [int(rng.integers(1, 4)) if rng.random() < 0.4 else 1 for _ in range(n)]
    kind = rng.choice(["valid", "sym", "asym", "asym", "same", "neg", "idil", "batch"])
    dtype = str(rng.choice(["f32"] * 6 + ["f64", "s32", "u8", "f16"]))
    kdtype = dtype if rng.random() < 0.8 else str(rng.choice(["f32", "s32"]))
    lo = [0] * n
    hi = [0] * n
    ldil = [1] * n
    args_pad = None
    if kind == "sym":
        p = [int(rng.integers(0, 3)) for _ in range(n)]
        lo, hi = p, p
        args_pad = axis_opt(p) if len(set(p)) == 1 else ",".join("%d:%d" % (a, a) for a in p)
    elif kind == "asym":
        lo = [int(rng.integers(0, 3)) for _ in range(n)]
        hi = [int(rng.integers(0, 3)) for _ in range(n)]
        args_pad = ",".join("%d:%d" % (a, b) for a, b in zip(lo, hi))
    elif kind == "neg":
        lo = [int(rng.integers(-1, 3)) for _ in range(n)]
        hi = [int(rng.integers(-1, 3)) for _ in range(n)]
        args_pad = ",".join("%d:%d" % (a, b) for a, b in zip(lo, hi))
    elif kind == "same":
        st = [1] * n
        args_pad = "same"
        for i in range(n):
            t = max((K[i] - 1) * dil[i], 0)
            lo[i], hi[i] = t // 2, t - t // 2
    elif kind == "idil":
        ldil = [int(rng.integers(1, 4)) for _ in range(n)]
        lo = [int(rng.integers(0, 3)) for _ in range(n)]
        hi = [int(rng.integers(0, 3)) for _ in range(n)]
        args_pad = ",".join("%d:%d" % (a, b) for a, b in zip(lo, hi))
    gb = 1
    if kind == "batch":
        g = 1
        gb = int(rng.choice([2, 3]))
        N = gb * int(rng.integers(1, 3))
        cin = i_per
        cout = gb * o_per
    DI = [(s - 1) * d + 1 for s, d in zip(S, ldil)]
    DK = [(k - 1) * d + 1 for k, d in zip(K, dil)]
    if any(DI[i] + lo[i] + hi[i] < DK[i] for i in range(n)):
        return False
    x = rand_tensor([N, cin] + S, dtype)
    w = rand_tensor([cout, cin // g] + K, kdtype)
    # expected, in float64 with PyTorch
    xd = tt(x)
    if any(d > 1 for d in ldil):
        z = torch.zeros([N, cin] + DI, dtype=torch.float64)
        z[(slice(None), slice(None)) + tuple(slice(None, None, d) for d in ldil)] = xd
        xd = z
    pads = []
    for i in reversed(range(n)):
        pads += [lo[i], hi[i]]
    xd = F.pad(xd, pads)
    conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[n]
    wd = tt(w)
    bias = None
    if rng.random() < 0.25 and gb == 1:
        bias = rand_tensor([cout], "f32" if to_floating(merge(dtype, kdtype)) != "f64" else "f64")
    if gb == 1:
        y = conv(xd, wd, stride=st, dilation=dil, groups=g)
        if kind == "same":
            native = conv(tt(x), wd, padding="same", dilation=dil, groups=g)
            assert torch.allclose(native, y), "PyTorch's padding='same' is Nx's :same"
            y = native
    else:
        nb, ob = N // gb, cout // gb
        y = torch.cat([conv(xd[j * nb:(j + 1) * nb], wd[j * ob:(j + 1) * ob], stride=st, dilation=dil) for j in range(gb)], dim=1)
    out_t = to_floating(merge(dtype, kdtype))
    y = y.numpy().astype(NP_OF[out_t])
    if bias is not None:
        # the conv's result (rounded to its type), then the bias added: Nx's conv followed by add
        out_t = merge(out_t, NX_OF[bias.dtype])
        y = (y.astype(np.float64) + bias.astype(np.float64).reshape([1, -1] + [1] * n)).astype(NP_OF[out_t])
    args = ["conv", "{x}", "{w}"]
    if any(s != 1 for s in st) or rng.random() < 0.3:
        args += ["--strides", axis_opt(st)]
    if args_pad is not None:
        args += ["--padding", args_pad]
    if any(d != 1 for d in ldil):
        args += ["--input-dilation", axis_opt(ldil)]
    if any(d != 1 for d in dil):
        args += ["--kernel-dilation", axis_opt(dil)]
    if g != 1:
        args += ["--feature-group-size", str(g)]
    if gb != 1:
        args += ["--batch-group-size", str(gb)]
    inputs = {"x": x, "w": w}
    if bias is not None:
        args += ["--bias", "{b}"]
        inputs["b"] = bias
    # a channels-last variant now and then
    if n == 2 and gb == 1 and rng.random() < 0.2:
        inputs["x"] = np.ascontiguousarray(x.transpose(0, 2, 3, 1))
        inputs["w"] = np.ascontiguousarray(w.transpose(2, 3, 1, 0))
        args += ["--layout", "NHWC,HWIO,NHWC"]
        y = np.ascontiguousarray(y.transpose(0, 2, 3, 1))
    args += ["-o", "{out}"]
    add("conv%dd" % n, args, inputs, y)
    return True


# ---------------------------------------------------------------------------------------------- conv transpose

def conv_transpose_case(n):
    g = int(rng.choice([1, 1, 2, 3]))
    cin = g * int(rng.integers(1, 3))
    cout_g = int(rng.integers(1, 3))
    N = int(rng.integers(1, 3))
    max_s = {1: 8, 2: 6, 3: 4}[n]
    S = [int(rng.integers(1, max_s + 1)) for _ in range(n)]
    K = [int(rng.integers(1, 4)) for _ in range(n)]
    st = [int(rng.integers(1, 4)) for _ in range(n)]
    dil = [int(rng.integers(1, 3)) for _ in range(n)]
    op = [int(rng.integers(0, max(st[i], dil[i]))) for i in range(n)]
    onnx_pads = rng.random() < 0.3
    if onnx_pads:
        b = [int(rng.integers(0, dil[i] * (K[i] - 1) + 1)) for i in range(n)]
        e = [int(rng.integers(0, dil[i] * (K[i] - 1) + 1)) for i in range(n)]
    else:
        p = [int(rng.integers(0, dil[i] * (K[i] - 1) + 1)) for i in range(n)]
        b, e = p, p
    Q = [(S[i] - 1) * st[i] - b[i] - e[i] + dil[i] * (K[i] - 1) + op[i] + 1 for i in range(n)]
    if any(q < 1 for q in Q):
        return False
    dtype = str(rng.choice(["f32"] * 5 + ["f64", "s32"]))
    x = rand_tensor([N, cin] + S, dtype)
    w = rand_tensor([cin, cout_g] + K, dtype)
    bias = rand_tensor([g * cout_g], "f32") if rng.random() < 0.3 and dtype != "f64" else None
    fn = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}[n]
    tb = tt(bias) if bias is not None else None
    y = fn(tt(x), tt(w), tb, stride=st, padding=0, output_padding=0, groups=g, dilation=dil)
    # crop the begin/end pads, then add the output padding at the end (zeros plus bias)
    full = y
    sl = [slice(None), slice(None)]
    for i in range(n):
        sl.append(slice(b[i], b[i] + Q[i]))
    padded = F.pad(full, sum(([0, max(0, b[i] + Q[i] - full.shape[i + 2])] for i in reversed(range(n))), []))
    if bias is not None:
        # positions added by the output padding hold the bias only
        extra = torch.zeros_like(padded)
        grow = [slice(None), slice(None)]
        mask = torch.ones_like(padded, dtype=torch.bool)
        core = [slice(None), slice(None)] + [slice(0, full.shape[i + 2]) for i in range(n)]
        mask[tuple(core)] = False
        extra[mask] = 1
        padded = padded + extra * tt(bias).reshape([1, -1] + [1] * n)
    y = padded[tuple(sl)]
    if not onnx_pads:
        native = fn(tt(x), tt(w), tb, stride=st, padding=b, output_padding=op, groups=g, dilation=dil)
        assert native.shape == y.shape and torch.allclose(native, y), "crop emulation equals PyTorch's padding"
        y = native
    y = y.numpy().astype(NP_OF[to_floating(dtype)])
    args = ["conv-transpose", "{x}", "{w}"]
    if any(s != 1 for s in st) or rng.random() < 0.3:
        args += ["--strides", axis_opt(st)]
    if onnx_pads:
        args += ["--pads", csv(b + e)]
    elif any(v != 0 for v in b):
        args += ["--pads", axis_opt(b)]
    if any(v != 0 for v in op):
        args += ["--output-padding", axis_opt(op)]
    if g != 1:
        args += ["--groups", str(g)]
    if any(d != 1 for d in dil):
        args += ["--dilations", axis_opt(dil)]
    inputs = {"x": x, "w": w}
    if bias is not None:
        args += ["--bias", "{b}"]
        inputs["b"] = bias
    args += ["-o", "{out}"]
    add("convtranspose%dd" % n, args, inputs, y)
    return True


# ---------------------------------------------------------------------------------------------- pooling

def pool_case(n, kind):
    N = int(rng.integers(1, 3))
    C = int(rng.integers(1, 4))
    max_s = {1: 12, 2: 8, 3: 6}[n]
    S = [int(rng.integers(1, max_s + 1)) for _ in range(n)]
    K = [int(rng.integers(1, 4)) for _ in range(n)]
    if any(K[i] > S[i] + 2 * (K[i] // 2) for i in range(n)):
        return False
    default_stride = rng.random() < 0.3
    st = list(K) if default_stride else [int(rng.integers(1, 4)) for _ in range(n)]
    pad = [int(rng.integers(0, K[i] // 2 + 1)) for i in range(n)]
    dil = [int(rng.integers(1, 3)) if (kind == "max" and rng.random() < 0.4) else 1 for _ in range(n)]
    ceil = bool(rng.random() < 0.4)
    include = bool(rng.random() < 0.5)
    divisor = int(rng.integers(1, 10)) if kind == "avg" and n > 1 and rng.random() < 0.15 else None
    DK = [(K[i] - 1) * dil[i] + 1 for i in range(n)]
    if any(S[i] + 2 * pad[i] < DK[i] for i in range(n)):
        return False
    dtype = str(rng.choice(["f32"] * 6 + ["f64", "s32", "u8"] + (["f16"] if kind == "max" else [])))
    x = rand_tensor([N, C] + S, dtype)
    args = ["pool", kind, "{x}", "--kernel", axis_opt(K)]
    if not default_stride:
        args += ["--strides", axis_opt(st)]
    if any(p != 0 for p in pad):
        args += ["--pads", axis_opt(pad)]
    if any(d != 1 for d in dil):
        args += ["--dilations", axis_opt(dil)]
    if ceil:
        args += ["--ceil-mode"] if rng.random() < 0.5 else ["--ceil-mode", "true"]
    extra = {}
    if kind == "max":
        fn = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[n]
        y, idx = fn(tt(x), K, st, pad, dil, ceil_mode=ceil, return_indices=True)
        y = y.numpy().astype(x.dtype)
        plane = int(np.prod(S))
        offsets = (np.arange(N * C, dtype=np.int64) * plane).reshape([N, C] + [1] * n)
        if rng.random() < 0.5:
            args += ["--indices", "{indices}"]
            extra["indices"] = idx.numpy().astype(np.int64) + offsets
    else:
        fn = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}[n]
        kw = dict(ceil_mode=ceil, count_include_pad=include)
        if divisor is not None:
            kw["divisor_override"] = divisor
        try:
            y = fn(tt(x), K, st, pad, **kw).numpy().astype(NP_OF[to_floating(dtype)])
        except RuntimeError:  # PyTorch's avg_pool3d refuses an input smaller than the kernel, even when padded
            return False
        args += ["--count-include-pad", "true" if include else "false"]
        if divisor is not None:
            args += ["--divisor-override", str(divisor)]
    args += ["-o", "{out}"]
    add("%spool%dd" % (kind, n), args, {"x": x}, y, extra)
    return True


def lp_pool_case(n):
    N, C = int(rng.integers(1, 3)), int(rng.integers(1, 3))
    S = [int(rng.integers(2, 8)) for _ in range(n)]
    K = [int(rng.integers(1, min(3, S[i]) + 1)) for i in range(n)]
    st = [int(rng.integers(1, 3)) for _ in range(n)]
    p = float(rng.choice([1.0, 2.0, 3.0]))
    ceil = False  # PyTorch's lp_pool rescales ceil-mode boundary windows by the clipped count; ONNX's does not
    x = np.abs(rand_tensor([N, C] + S, "f32")) + np.float32(0.1)
    fn = {1: F.lp_pool1d, 2: F.lp_pool2d}[n]
    y = fn(tt(x), p, K if n > 1 else K[0], st if n > 1 else st[0], ceil_mode=ceil).numpy().astype(np.float32)
    args = ["pool", "lp", "{x}", "--p", "%g" % p, "--kernel", axis_opt(K), "--strides", axis_opt(st)]
    if ceil:
        args += ["--ceil-mode"]
    add("lppool%dd" % n, args + ["-o", "{out}"], {"x": x}, y)
    return True


def global_pool_case(n, kind):
    N, C = int(rng.integers(1, 3)), int(rng.integers(1, 4))
    S = [int(rng.integers(1, 7)) for _ in range(n)]
    dtype = str(rng.choice(["f32", "f32", "f64", "s32"]))
    x = rand_tensor([N, C] + S, dtype)
    if kind == "max":
        fn = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}[n]
        y = fn(tt(x), 1).numpy().astype(x.dtype)
    else:
        fn = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}[n]
        y = fn(tt(x), 1).numpy().astype(NP_OF[to_floating(dtype)])
    add("global%spool%dd" % (kind, n), ["global-pool", kind, "{x}", "-o", "{out}"], {"x": x}, y)
    return True


# ---------------------------------------------------------------------------------------------- pad

def nx_pad_type(dtype, value):
    """Nx's merge of a tensor type with a constant: float tensors keep their type, integer + float -> f32,
    integer + integer -> the tensor's type widened until the value fits."""
    if dtype[0] == "f":
        return dtype
    if isinstance(value, float):
        return "f32"
    kind, bits = dtype[0], int(dtype[1:])
    if kind == "u" and value < 0:
        kind, bits = "s", min(bits * 2, 64)
    while True:
        lo, hi = (0, 2 ** bits - 1) if kind == "u" else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
        if lo <= value <= hi or bits == 64:
            return "%s%d" % (kind, bits)
        bits *= 2


def pad_reference(x, value, config, out_dtype):
    """Nx's pad by its index mapping: position j holds element k iff j = lo + k * (interior + 1)."""
    out_shape = [lo + hi + s + max(s - 1, 0) * it for s, (lo, hi, it) in zip(x.shape, config)]
    y = np.full(out_shape, value, dtype=NP_OF[out_dtype])
    for k in np.ndindex(*x.shape):
        j = tuple(lo + kk * (it + 1) for kk, (lo, hi, it) in zip(k, config))
        if all(0 <= jj < s for jj, s in zip(j, out_shape)):
            y[j] = x[k]
    return y


def mode_source(j, n, mode):
    """Source index of padded position j (relative to the first element) on an axis of n elements; periodic in
    every mode (numpy 1.24's 'wrap' is not periodic when a width exceeds the axis, so it is not used there)."""
    if 0 <= j < n:
        return j
    if mode == "replicate":
        return 0 if j < 0 else n - 1
    if mode == "cyclic":
        return j % n
    if mode == "reflect":
        if n == 1:
            return 0
        m = j % (2 * (n - 1))
        return m if m < n else 2 * (n - 1) - m
    m = j % (2 * n)  # mirror
    return m if m < n else 2 * n - 1 - m


def pad_mode_reference(x, widths, mode):
    y = x
    for axis, (lo, hi) in enumerate(widths):
        n = y.shape[axis]
        idx = [mode_source(j - lo, n, mode) for j in range(n + lo + hi)]
        y = np.take(y, idx, axis=axis)
    return y


def pad_case():
    r = int(rng.integers(1, 4))
    shape = [int(rng.integers(1, 5)) for _ in range(r)]
    dtype = str(rng.choice(["f32", "f32", "f64", "f16", "s32", "s64", "s8", "s16", "u8", "u16", "u32", "u64"]))
    x = rand_tensor(shape, dtype)
    mode = str(rng.choice(["constant"] * 4 + ["reflect", "mirror", "replicate", "cyclic"]))
    if mode == "constant":
        config = [(int(rng.integers(-1, 3)), int(rng.integers(-1, 3)), int(rng.integers(0, 3))) for _ in range(r)]
        if any(lo + hi + s + max(s - 1, 0) * it < 0 for s, (lo, hi, it) in zip(shape, config)):
            return False
        if rng.random() < 0.5:
            value = int(rng.choice([0, 1, -1, 7, 300, -200, 70000]))
            text = str(value)
        else:
            value = float(rng.choice([0.0, 1.5, -2.25, 1e3]))
            text = repr(value)
        out_t = nx_pad_type(dtype, value)
        y = pad_reference(x, value, config, out_t)
        # where numpy has it (no interior, no negative), check against numpy.pad too
        if all(it == 0 and lo >= 0 and hi >= 0 for lo, hi, it in config):
            ref = np.pad(x.astype(NP_OF[out_t]), [(lo, hi) for lo, hi, _ in config], mode="constant", constant_values=value)
            assert np.array_equal(ref, y, equal_nan=True)
        args = ["pad", "{x}", "--value", text, "--config", ",".join("%d:%d:%d" % c for c in config)]
    else:
        widths = [(int(rng.integers(0, 4)), int(rng.integers(0, 4))) for _ in range(r)]
        np_mode = {"reflect": "reflect", "mirror": "symmetric", "replicate": "edge", "cyclic": "wrap"}[mode]
        if mode == "reflect" and any(s == 1 and (lo or hi) for s, (lo, hi) in zip(shape, widths)):
            return False
        y = pad_mode_reference(x, widths, mode)
        if all(lo <= s - 1 and hi <= s - 1 for s, (lo, hi) in zip(shape, widths)):
            assert np.array_equal(y, np.pad(x, widths, mode=np_mode)), "agrees with numpy.pad"
        args = ["pad", "{x}", "--mode", mode, "--config", ",".join("%d:%d" % w for w in widths)]
    add("pad", args + ["-o", "{out}"], {"x": x}, y)
    return True


# ---------------------------------------------------------------------------------------------- window ops

IDENTITY = {"sum": 0, "product": 1}


def window_reference(x, op, window, strides, lo, hi, dil, include_pad=True):
    r = x.ndim
    dtype = x.dtype
    if op in ("max", "min"):
        if dtype.kind == "f":
            ident = -np.inf if op == "max" else np.inf
        else:
            info = np.iinfo(dtype)
            ident = info.min if op == "max" else info.max
    elif op == "mean":
        ident = 0
    else:
        ident = IDENTITY[op]
    work = x.astype(np.float64) if (op == "mean" or dtype.kind == "f") else x
    padded = np.full([s + a + b for s, a, b in zip(x.shape, lo, hi)], ident, dtype=work.dtype)
    padded[tuple(slice(a, a + s) for a, s in zip(lo, x.shape))] = work
    real = np.zeros(padded.shape)
    real[tuple(slice(a, a + s) for a, s in zip(lo, x.shape))] = 1
    dw = [(w - 1) * d + 1 for w, d in zip(window, dil)]
    out_shape = [(p - d) // s + 1 for p, d, s in zip(padded.shape, dw, strides)]
    out_t = to_floating(NX_OF[np.dtype(dtype)]) if op == "mean" else NX_OF[np.dtype(dtype)]
    y = np.zeros(out_shape, dtype=work.dtype)
    for q in np.ndindex(*out_shape):
        sl = tuple(slice(qq * s, qq * s + d, dd) for qq, s, d, dd in zip(q, strides, dw, dil))
        win = padded[sl]
        if op == "sum":
            y[q] = win.sum(dtype=work.dtype)
        elif op == "product":
            y[q] = win.prod(dtype=work.dtype)
        elif op == "max":
            y[q] = win.max()
        elif op == "min":
            y[q] = win.min()
        else:
            count = float(np.prod(window)) if include_pad else real[sl].sum()
            y[q] = win.sum() / count
    return y.astype(NP_OF[out_t])


def window_case():
    r = int(rng.integers(1, 5))
    shape = [int(rng.integers(1, 6)) for _ in range(r)]
    op = str(rng.choice(["sum", "mean", "max", "min", "product"]))
    dtype = str(rng.choice(["f32", "f32", "f64", "s32", "s64", "u8", "s8", "f16"]))
    if op == "product" and dtype in ("u8", "s8", "f16"):
        dtype = "s32"
    x = rand_tensor(shape, dtype)
    if op == "product":
        x = (np.abs(x) % 3 + 1).astype(x.dtype) if dtype[0] != "f" else x
    pooling = r >= 3 and rng.random() < 0.5  # a pooling-like window: 1 on the batch and channel axes
    window = [1 if pooling and i < 2 else int(rng.integers(1, 4)) for i in range(r)]
    strides = [1 if pooling and i < 2 else int(rng.integers(1, 3)) for i in range(r)]
    dil = [1 if pooling and i < 2 else (int(rng.integers(1, 3)) if rng.random() < 0.3 else 1) for i in range(r)]
    dw = [(w - 1) * d + 1 for w, d in zip(window, dil)]
    kind = str(rng.choice(["valid", "explicit", "explicit", "same", "same-upper", "same-lower"]))
    padding_text = None
    if kind == "valid":
        lo, hi = [0] * r, [0] * r
    elif kind == "explicit":
        lo = [0 if pooling and i < 2 else int(rng.integers(0, 3)) for i in range(r)]
        hi = [0 if pooling and i < 2 else int(rng.integers(0, 3)) for i in range(r)]
        spatial = lo[2:] if r >= 3 else lo
        if lo == hi and len(set(spatial)) == 1 and (r < 3 or lo[0] == lo[1] == 0) and rng.random() < 0.5:
            padding_text = str(spatial[0])
    elif kind == "same":
        lo = [(d - 1) // 2 for d in dw]
        hi = [d - 1 - l for d, l in zip(dw, lo)]
    else:
        lo, hi = [], []
        for s, d, st in zip(shape, dw, strides):
            out = -(-s // st)
            total = max(0, (out - 1) * st + d - s)
            small, big = total // 2, total - total // 2
            lo.append(small if kind == "same-upper" else big)
            hi.append(big if kind == "same-upper" else small)
    if any(s + a + b < d for s, a, b, d in zip(shape, lo, hi, dw)):
        return False
    include = bool(rng.random() < 0.5)
    y = window_reference(x, op, window, strides, lo, hi, dil, include)
    args = ["window", op, "{x}", "--window", csv(window)]
    if any(s != 1 for s in strides) or rng.random() < 0.3:
        args += ["--strides", window_axis_opt(strides, 1)]
    if kind == "explicit":
        args += ["--padding", padding_text or ",".join("%d:%d" % p for p in zip(lo, hi))]
    elif kind != "valid":
        args += ["--padding", kind]
    if any(d != 1 for d in dil):
        args += ["--window-dilations", window_axis_opt(dil, 1)]
    if op == "mean" and (not include or rng.random() < 0.3):
        args += ["--count-include-pad", "true" if include else "false"]
    add("window", args + ["-o", "{out}"], {"x": x}, y)
    return True


def generate(fn, count, *a):
    made = 0
    while made < count:
        if fn(*a):
            made += 1


def main():
    for n, count in ((1, 30), (2, 50), (3, 20)):
        generate(conv_case, count, n)
    for n, count in ((1, 15), (2, 20), (3, 10)):
        generate(conv_transpose_case, count, n)
    for kind in ("max", "avg"):
        for n, count in ((1, 15), (2, 25), (3, 12)):
            generate(pool_case, count, n, kind)
    for n in (1, 2):
        generate(lp_pool_case, 6, n)
    for kind in ("max", "avg"):
        for n in (1, 2, 3):
            generate(global_pool_case, 3, n, kind)
    generate(pad_case, 50)
    generate(window_case, 70)

    os.makedirs(OUT_DIR, exist_ok=True)
    manifest = {
        "generator": "make_torch_cases.py",
        "seed": SEED,
        "torch": torch.__version__,
        "numpy": np.__version__,
        "note": "Each case: run args with {name} replaced by the input/output files; compare dtype, shape and values "
                "(|actual - expected| <= atol + rtol * |expected|; integers exactly; NaN and infinities in place).",
        "cases": cases,
    }
    with open(os.path.join(OUT_DIR, "manifest.json"), "w") as f:
        head = json.dumps({k: v for k, v in manifest.items() if k != "cases"}, indent=1)[:-2]
        f.write(head + ',\n "cases": [\n' + ",\n".join(json.dumps(c) for c in cases) + "\n ]\n}\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for key in sorted(arrays):
            b = io.BytesIO()
            np.save(b, arrays[key])
            z.writestr(zipfile.ZipInfo(key, date_time=(2024, 1, 1, 0, 0, 0)), b.getvalue(), zipfile.ZIP_DEFLATED)
    with open(os.path.join(OUT_DIR, "cases.npz"), "wb") as f:
        f.write(buf.getvalue())
    counts = {}
    for c in cases:
        counts[c["family"]] = counts.get(c["family"], 0) + 1
    print("%d cases: %s" % (len(cases), ", ".join("%s %d" % kv for kv in sorted(counts.items()))), file=sys.stderr)


if __name__ == "__main__":
    main()
