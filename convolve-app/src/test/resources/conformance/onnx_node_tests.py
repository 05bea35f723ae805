#!/usr/bin/env python3
"""Runs ONNX's operator ("node") tests for Conv, ConvTranspose, MaxPool, AveragePool, LpPool, the global poolings
and Pad through the ``convolve`` command line, and compares every output's shape, dtype and values.

The test data are not part of Convolve: point this script at a local checkout of https://github.com/onnx/onnx from
a release that still holds ``onnx/backend/test/data/node`` (v1.12 .. v1.22), for example::

    git clone --depth 1 --branch v1.22.0 https://github.com/onnx/onnx /tmp/onnx
    python3 convolve-app/src/test/resources/conformance/onnx_node_tests.py /tmp/onnx

Needs only Python 3 and numpy: model.onnx and the TensorProto ``.pb`` files are read with the minimal protobuf
reader below. Each test's node attributes are mapped onto the CLI's options (SPEC.md section 4), its inputs are
written as ``.npy`` files into a temporary folder, ``./convolve`` is run, and its outputs are compared with the
expected ones (rtol 1e-3, atol 1e-5, as ONNX's backend tests; integers exactly). Exit status 0 when every test
that maps onto Convolve passes.
"""

import argparse
import os
import re
import shlex
import struct
import subprocess
import sys
import tempfile

import numpy as np

# ------------------------------------------------------------------------------------------ a minimal protobuf reader


def _varint(b, i):
    shift = result = 0
    while True:
        c = b[i]
        i += 1
        result |= (c & 0x7F) << shift
        if not c & 0x80:
            return result, i
        shift += 7


def fields(b):
    """Yields (field number, wire type, value) of a serialized message; value is an int or bytes."""
    i, n = 0, len(b)
    while i < n:
        key, i = _varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _varint(b, i)
        elif wt == 1:
            v = b[i:i + 8]
            i += 8
        elif wt == 2:
            ln, i = _varint(b, i)
            v = b[i:i + ln]
            i += ln
        elif wt == 5:
            v = b[i:i + 4]
            i += 4
        else:
            raise ValueError("unsupported wire type %d" % wt)
        yield num, wt, v


def _signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def _ints(wt, v):
    """A repeated int64 field's entries from one occurrence (packed or not)."""
    if wt == 0:
        return [_signed64(v)]
    out, i = [], 0
    while i < len(v):
        x, i = _varint(v, i)
        out.append(_signed64(x))
    return out


def _floats(wt, v):
    if wt == 5:
        return [struct.unpack("<f", v)[0]]
    return list(struct.unpack("<%df" % (len(v) // 4), v))


def _doubles(wt, v):
    if wt == 1:
        return [struct.unpack("<d", v)[0]]
    return list(struct.unpack("<%dd" % (len(v) // 8), v))


# TensorProto.DataType -> numpy
DTYPES = {1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16, 6: np.int32, 7: np.int64, 9: np.bool_,
          10: np.float16, 11: np.float64, 12: np.uint32, 13: np.uint64}


def tensor(b):
    """A TensorProto as a numpy array (and its name)."""
    dims, dtype, name, raw = [], 1, "", None
    f32, i32, i64, f64, u64 = [], [], [], [], []
    for num, wt, v in fields(b):
        if num == 1:
            dims += _ints(wt, v)
        elif num == 2:
            dtype = v
        elif num == 4:
            f32 += _floats(wt, v)
        elif num == 5:
            i32 += _ints(wt, v)
        elif num == 7:
            i64 += _ints(wt, v)
        elif num == 8:
            name = v.decode()
        elif num == 9:
            raw = v
        elif num == 10:
            f64 += _doubles(wt, v)
        elif num == 11:
            u64 += [x & ((1 << 64) - 1) for x in _ints(wt, v)]
    if dtype not in DTYPES:
        raise ValueError("unsupported tensor data type %d" % dtype)
    npt = DTYPES[dtype]
    if raw is not None:
        a = np.frombuffer(raw, dtype=np.dtype(npt).newbyteorder("<")).astype(npt)
    elif dtype == 1:
        a = np.array(f32, dtype=npt)
    elif dtype == 11:
        a = np.array(f64, dtype=npt)
    elif dtype == 7:
        a = np.array(i64, dtype=npt)
    elif dtype in (12, 13):
        a = np.array(u64, dtype=npt)
    elif dtype == 10:
        a = np.array(i32, dtype=np.uint16).view(np.float16)
    else:
        a = np.array(i32).astype(npt)
    return a.reshape(dims), name


def attribute(b):
    name, value = "", None
    ints, floats, strings = [], [], []
    for num, wt, v in fields(b):
        if num == 1:
            name = v.decode()
        elif num == 2:
            value = struct.unpack("<f", v)[0]
        elif num == 3:
            value = _signed64(v)
        elif num == 4:
            value = v.decode()
        elif num == 5:
            value = tensor(v)[0]
        elif num == 7:
            floats += _floats(wt, v)
        elif num == 8:
            ints += _ints(wt, v)
        elif num == 9:
            strings.append(v.decode())
    if value is None:
        value = ints or floats or strings
    return name, value


def model(path):
    """The model's single node (op type, inputs, outputs, attributes), graph input/output names and opset."""
    with open(path, "rb") as f:
        b = f.read()
    graph, opset = None, None
    for num, wt, v in fields(b):
        if num == 7:
            graph = v
        elif num == 8:
            dom, ver = "", None
            for n2, _, v2 in fields(v):
                if n2 == 1:
                    dom = v2.decode()
                elif n2 == 2:
                    ver = v2
            if dom in ("", "ai.onnx"):
                opset = ver
    nodes, inputs, outputs = [], [], []
    for num, wt, v in fields(graph):
        if num == 1:
            node = {"inputs": [], "outputs": [], "attrs": {}, "op": None}
            for n2, _, v2 in fields(v):
                if n2 == 1:
                    node["inputs"].append(v2.decode())
                elif n2 == 2:
                    node["outputs"].append(v2.decode())
                elif n2 == 4:
                    node["op"] = v2.decode()
                elif n2 == 5:
                    k, val = attribute(v2)
                    node["attrs"][k] = val
            nodes.append(node)
        elif num in (11, 12):
            name = next((v2.decode() for n2, _, v2 in fields(v) if n2 == 1), "")
            (inputs if num == 11 else outputs).append(name)
    return nodes, inputs, outputs, opset


# ------------------------------------------------------------------------------------------ ONNX node -> convolve args


class NotApplicable(Exception):
    """The test exercises something Convolve's command line does not offer (the reason says what)."""


def _lst(v):
    return ",".join(str(int(x)) for x in v)


def _auto_pad(attrs):
    a = attrs.get("auto_pad", "NOTSET")
    return {"NOTSET": None, "": None, "VALID": "valid", "SAME_UPPER": "same-upper", "SAME_LOWER": "same-lower"}[a]


def conv_args(node, files, n):
    a = node["attrs"]
    args = ["conv", files[0], files[1]]
    if "strides" in a:
        args += ["--strides", _lst(a["strides"])]
    if "dilations" in a:
        args += ["--kernel-dilation", _lst(a["dilations"])]
    if a.get("group", 1) != 1:
        args += ["--feature-group-size", str(a["group"])]
    auto = _auto_pad(a)
    if auto:
        args += ["--padding", auto]
    elif "pads" in a:
        p = a["pads"]
        args += ["--padding", ",".join("%d:%d" % (p[i], p[i + n]) for i in range(n))]
    if len(files) > 2 and files[2]:
        args += ["--bias", files[2]]
    return args


def conv_transpose_args(node, files, n):
    a = node["attrs"]
    args = ["conv-transpose", files[0], files[1]]
    if "strides" in a:
        args += ["--strides", _lst(a["strides"])]
    if "dilations" in a:
        args += ["--dilations", _lst(a["dilations"])]
    if a.get("group", 1) != 1:
        args += ["--groups", str(a["group"])]
    if "output_padding" in a:
        args += ["--output-padding", _lst(a["output_padding"])]
    auto = _auto_pad(a)
    if "output_shape" in a:
        args += ["--output-shape", _lst(a["output_shape"])]
        if auto and auto != "valid":
            args += ["--auto-pad", auto]
    elif auto:
        args += ["--auto-pad", auto]
    elif "pads" in a:
        args += ["--pads", _lst(a["pads"])]
    if len(files) > 2 and files[2]:
        args += ["--bias", files[2]]
    return args


def pool_args(node, files, n, kind, out_files):
    a = node["attrs"]
    k = a["kernel_shape"]
    args = ["pool", kind, files[0], "--kernel", _lst(k), "--strides", _lst(a.get("strides", [1] * len(k)))]
    auto = _auto_pad(a)
    if auto:
        args += ["--auto-pad", auto]
    elif "pads" in a:
        args += ["--pads", _lst(a["pads"])]
    if "dilations" in a:
        args += ["--dilations", _lst(a["dilations"])]
    if a.get("ceil_mode", 0):
        args += ["--ceil-mode", "true"]
    if kind == "avg":
        args += ["--count-include-pad", "true" if a.get("count_include_pad", 0) else "false"]
    if kind == "lp":
        args += ["--p", str(a.get("p", 2))]
    if kind == "max" and len(out_files) > 1:
        args += ["--indices", out_files[1], "--storage-order", str(a.get("storage_order", 0))]
    return args


def pad_args(node, files, arrays, opset):
    a = node["attrs"]
    x = arrays[0]
    r = x.ndim
    if opset is not None and opset < 11:
        pads, value, axes = a["pads"], a.get("value", 0.0), None
    else:
        pads = [int(v) for v in arrays[1]]
        value = arrays[2].item() if len(arrays) > 2 and arrays[2] is not None and arrays[2].size else 0
        axes = [int(v) for v in arrays[3]] if len(arrays) > 3 and arrays[3] is not None else None
    lo, hi = [0] * r, [0] * r
    axes = list(range(r)) if axes is None else [ax % r for ax in axes]
    m = len(axes)
    for j, ax in enumerate(axes):
        lo[ax], hi[ax] = pads[j], pads[j + m]
    mode = a.get("mode", "constant")
    args = ["pad", files[0], "--config", ",".join("%d:%d" % p for p in zip(lo, hi))]
    if mode == "constant":
        if x.dtype.kind == "f":
            args += ["--value", repr(float(value))]
        else:
            args += ["--value", str(int(value))]
    else:
        args += ["--mode", {"reflect": "reflect", "edge": "replicate", "wrap": "cyclic"}[mode]]
    return args


def command(node, files, arrays, out_files, opset):
    op = node["op"]
    n = arrays[0].ndim - 2
    if op == "Conv":
        return conv_args(node, files, n)
    if op == "ConvTranspose":
        return conv_transpose_args(node, files, n)
    if op == "MaxPool":
        return pool_args(node, files, n, "max", out_files)
    if op == "AveragePool":
        return pool_args(node, files, n, "avg", out_files)
    if op == "LpPool":
        return pool_args(node, files, n, "lp", out_files)
    if op in ("GlobalMaxPool", "GlobalAveragePool", "GlobalLpPool"):
        kind = {"GlobalMaxPool": "max", "GlobalAveragePool": "avg", "GlobalLpPool": "lp"}[op]
        args = ["global-pool", kind, files[0]]
        if kind == "lp":
            args += ["--p", str(node["attrs"].get("p", 2))]
        return args
    if op == "Pad":
        return pad_args(node, files, arrays, opset)
    raise NotApplicable("%s is not an operator of Convolve's command line" % op)


# ------------------------------------------------------------------------------------------ running

OPS = re.compile(r"^test_(conv|convtranspose|basic_conv|maxpool|averagepool|lppool|globalaveragepool|globalmaxpool|"
                 r"globallppool|constant_pad|edge_pad|reflect_pad|wrap_pad|pad)")


def node_dir(root):
    for cand in (root, os.path.join(root, "node"), os.path.join(root, "onnx", "backend", "test", "data", "node")):
        if os.path.isdir(cand) and any(d.startswith("test_") for d in os.listdir(cand)):
            return cand
    sys.exit("no ONNX node tests under %s (expected onnx/backend/test/data/node in an onnx checkout, v1.12 .. v1.22)" % root)


def close(expected, actual):
    if expected.dtype != actual.dtype:
        return "dtype %s, expected %s" % (actual.dtype, expected.dtype)
    if expected.shape != actual.shape:
        return "shape %s, expected %s" % (actual.shape, expected.shape)
    if expected.dtype.kind in "iub":
        bad = np.flatnonzero(expected != actual)
    else:
        e, a = expected.astype(np.float64), actual.astype(np.float64)
        ok = np.isclose(a, e, rtol=1e-3, atol=1e-5, equal_nan=True)
        bad = np.flatnonzero(~ok)
    if bad.size:
        i = bad[0]
        return "%d of %d values differ, first at flat index %d: %r, expected %r" % (bad.size, expected.size, i, actual.flat[i], expected.flat[i])
    return None


def run_test(path, launcher, tmp, verbose):
    nodes, graph_inputs, graph_outputs, opset = model(os.path.join(path, "model.onnx"))
    if len(nodes) != 1:
        raise NotApplicable("a graph of %d nodes (an expanded function test)" % len(nodes))
    node = nodes[0]
    data = os.path.join(path, "test_data_set_0")
    inputs = {}
    for i, name in enumerate(graph_inputs):
        f = os.path.join(data, "input_%d.pb" % i)
        if os.path.exists(f):
            with open(f, "rb") as fh:
                inputs[name] = tensor(fh.read())[0]
    expected = []
    for i in range(len(graph_outputs)):
        with open(os.path.join(data, "output_%d.pb" % i), "rb") as fh:
            expected.append(tensor(fh.read())[0])
    arrays, files = [], []
    for j, name in enumerate(node["inputs"]):
        if not name:
            arrays.append(None)
            files.append("")
            continue
        arr = inputs[name]
        arrays.append(arr)
        f = os.path.join(tmp, "in%d.npy" % j)
        np.save(f, arr)
        files.append(f)
    if node["op"] in ("ConvInteger", "MaxUnpool"):
        raise NotApplicable("%s is not an operator of Convolve's command line" % node["op"])
    out_files = [os.path.join(tmp, "out%d.npy" % j) for j in range(len(expected))]
    args = command(node, files, arrays, out_files, opset) + ["-o", out_files[0]]
    cmd = [launcher] + args
    if verbose:
        print("   $ " + " ".join(shlex.quote(c) for c in cmd))
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        err = [l for l in p.stderr.splitlines() if not l.startswith(("WARNING", "convolve: using"))]
        return "exit code %d: %s" % (p.returncode, " ".join(err))
    for j, e in enumerate(expected):
        problem = close(e, np.load(out_files[j]))
        if problem:
            return "output %d: %s" % (j, problem)
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_launcher = os.path.normpath(os.path.join(here, "..", "..", "..", "..", "..", "convolve"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("onnx", help="an onnx checkout (or its onnx/backend/test/data/node folder)")
    ap.add_argument("--convolve", default=default_launcher, help="the launcher to run (default: %(default)s)")
    ap.add_argument("--filter", default="", help="only tests whose name matches this regular expression")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each command line")
    opts = ap.parse_args()
    root = node_dir(opts.onnx)
    names = sorted(d for d in os.listdir(root) if OPS.match(d) and re.search(opts.filter, d) and not d.endswith("_expanded"))
    passed, failed, skipped = [], [], []
    for name in names:
        with tempfile.TemporaryDirectory(prefix="convolve-onnx-") as tmp:
            try:
                problem = run_test(os.path.join(root, name), opts.convolve, tmp, opts.verbose)
            except NotApplicable as e:
                skipped.append((name, str(e)))
                print("skip  %s: %s" % (name, e))
                continue
            if problem:
                failed.append((name, problem))
                print("FAIL  %s: %s" % (name, problem))
            else:
                passed.append(name)
                print("pass  %s" % name)
    print("\n%d passed, %d failed, %d not applicable, of %d ONNX node tests" % (len(passed), len(failed), len(skipped), len(names)))
    for name, why in failed:
        print("  FAIL %s: %s" % (name, why))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
