#!/usr/bin/env python3
"""Writes VectorKernels.java: the fast filters' inner loops for the common kernel sizes, unrolled.

Why generated: C2 keeps a kernel's weights in registers and loads each source vector once only when the taps are
written out one by one (a loop over the taps inside the loop over columns measured 1.3 to 2 times slower on this
machine's 1080p images), and writing dozens of nearly identical lines by hand invites mistakes. Lucene generates its
unrolled loops the same way (gen_ForUtil.py).

Limits that shaped the code (measured, JDK 25, C2):
  * a method with more than about ten u8 -> f32 conversions (convertShape) exceeds C2's node budget for inlining
    (NodeCountInliningCutoff): the conversions are no longer inlined and every vector is boxed (10 to 30 times
    slower). So only the 3- and 5-tap vertical passes read bytes in place; larger ones read f32 rows converted once.
  * helper methods taking many vectors as arguments are not inlined in large methods (same boxing); everything is
    written inline.
  * values are loaded first, combined, and stored last; vectors are not reassigned across statements except for
    accumulators.

Run from this folder:  python3 gen_kernels.py > VectorKernels.java
"""

VERTICAL_TAPS = [3, 5, 7, 9, 11, 13, 15]
HORIZONTAL_TAPS = [3, 5, 7, 9, 11, 13, 15]
VERTICAL_U8_TAPS = [3, 5]
RING_TAPS = [7, 9, 11, 13, 15]
DIRECT_SIZES = [3, 5]
TAP_STRIDES = [1, 3, 4]  # channels: grey, RGB, RGBA
# Horizontal loops that build some taps by permutes (taps, stride) -> the taps permuted. Measured one by one on this
# machine (1080p, one thread, against the plain loop of the same size): 5 taps 20-27% faster, 7 taps 25%, 9 taps 5-25%,
# 15 taps with stride 3 15-20%; 11 and 13 taps, and 15 with strides 1 and 4, were not faster or slower (C2 then unrolled
# the loop and spilled the carried vectors), so they keep plain loads.
MIXED = {}
for _ts in (1, 3, 4):
    MIXED[(5, _ts)] = {1, 3}
    MIXED[(7, _ts)] = {2, 6}
    MIXED[(9, _ts)] = {2, 6}
MIXED[(15, 3)] = {2, 6, 10}
L_MAX = 16  # the mixed loops are written for 16 lanes (AVX-512); VectorRowOps uses them only then
ROWS = 4  # output rows per pass

out = []


def emit(s=""):
    out.append(s)


def u8(arr, off):
    return (f"((FloatVector) ByteVector.fromArray(B, {arr}, {off})"
            f".convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0))")


def symmetric_sum(taps, j, x):
    """Expression for output row j of a symmetric vertical pass; x(r) names the vector of source row r."""
    half, odd = taps // 2, taps % 2
    expr = f"{x(j + half)}.mul(w{half})" if odd else None
    for a in range(half - 1, -1, -1):  # inner pairs first, the outermost (smallest weights) last
        pair = f"{x(j + a)}.add({x(j + taps - 1 - a)})"
        expr = f"{pair}.mul(w{a})" if expr is None else f"{pair}.fma(w{a}, {expr})"
    return expr


def weights(n, name="w", src="w"):
    for a in range(n):
        emit(f"        FloatVector {name}{a} = FloatVector.broadcast(F, {src}[{a}]);")


def vertical_f32(taps):
    half, odd = taps // 2, taps % 2
    rows = taps + ROWS - 1
    emit(f"    /** {{@link RowOps#vertical4Symmetric}} for {taps} taps, output positions [from, to) in steps of L ({{@code to - from}} a multiple of L). */")
    emit(f"    static void vertical4Symmetric{taps}(float[][] rows, float[] w, float[][] dst, int dstOff, int from, int to) {{")
    weights(half + odd)
    emit("        " + " ".join(f"float[] r{r} = rows[{r}];" for r in range(rows)))
    emit("        float[] d0 = dst[0], d1 = dst[1], d2 = dst[2], d3 = dst[3];")
    emit("        for (int i = from; i < to; i += L) {")
    for r in range(rows):
        emit(f"            FloatVector x{r} = FloatVector.fromArray(F, r{r}, i);")
    for j in range(ROWS):
        emit(f"            FloatVector a{j} = {symmetric_sum(taps, j, lambda r: f'x{r}')};")
    for j in range(ROWS):
        emit(f"            a{j}.intoArray(d{j}, dstOff + i);")
    emit("        }")
    emit("    }")
    emit()


def vertical_ring(taps):
    """The vertical pass of a u8 image through a ring of f32 rows: the last four rows of the window are converted here
    (and written to the ring for the next blocks), so each image row is read from memory inside the arithmetic rather
    than in a separate conversion loop (4 conversions per loop: within C2's budget)."""
    half, odd = taps // 2, taps % 2
    rows = taps + ROWS - 1
    old = taps - 1
    emit(f"    /** {{@link RowOps#vertical4SymmetricRing}} for {taps} taps, output positions [from, to) in steps of L. */")
    emit(f"    static void vertical4SymmetricRing{taps}(float[][] rows, byte[][] src, int[] srcOffs, float[] w, float[][] dst, int dstOff, int from, int to) {{")
    weights(half + odd)
    emit("        " + " ".join(f"float[] r{r} = rows[{r}];" for r in range(rows)))
    emit("        " + " ".join(f"byte[] b{k} = src[{k}];" for k in range(ROWS)))
    emit("        " + " ".join(f"int s{k} = srcOffs[{k}];" for k in range(ROWS)))
    emit("        float[] d0 = dst[0], d1 = dst[1], d2 = dst[2], d3 = dst[3];")
    emit("        for (int i = from; i < to; i += L) {")
    for r in range(old):
        emit(f"            FloatVector x{r} = FloatVector.fromArray(F, r{r}, i);")
    for k in range(ROWS):
        emit(f"            FloatVector x{old + k} = {u8(f'b{k}', f's{k} + i')};")
    for k in range(ROWS):
        emit(f"            x{old + k}.intoArray(r{old + k}, i);")
    for j in range(ROWS):
        emit(f"            FloatVector a{j} = {symmetric_sum(taps, j, lambda r: f'x{r}')};")
    for j in range(ROWS):
        emit(f"            a{j}.intoArray(d{j}, dstOff + i);")
    emit("        }")
    emit("    }")
    emit()


def vertical_u8(taps):
    half, odd = taps // 2, taps % 2
    rows = taps + ROWS - 1
    emit(f"    /** {{@link RowOps#vertical4SymmetricU8}} for {taps} taps, output positions [from, to) in steps of L. */")
    emit(f"    static void vertical4SymmetricU8{taps}(byte[][] rows, int[] offs, float[] w, float[][] dst, int dstOff, int from, int to) {{")
    weights(half + odd)
    emit("        " + " ".join(f"byte[] r{r} = rows[{r}];" for r in range(rows)))
    emit("        " + " ".join(f"int o{r} = offs[{r}];" for r in range(rows)))
    emit("        float[] d0 = dst[0], d1 = dst[1], d2 = dst[2], d3 = dst[3];")
    emit("        for (int i = from; i < to; i += L) {")
    for r in range(rows):
        emit(f"            FloatVector x{r} = {u8(f'r{r}', f'o{r} + i')};")
    for j in range(ROWS):
        emit(f"            FloatVector a{j} = {symmetric_sum(taps, j, lambda r: f'x{r}')};")
    for j in range(ROWS):
        emit(f"            a{j}.intoArray(d{j}, dstOff + i);")
    emit("        }")
    emit("    }")
    emit()


def horizontal(taps, ts=None):
    """ts None: the tap stride is an argument; else a constant (the offsets become displacements, no registers)."""
    half, odd = taps // 2, taps % 2
    suffix = f"{taps}" if ts is None else f"{taps}x{ts}"
    emit(f"    /**")
    emit(f"     * {{@link RowOps#horizontalSymmetricU8}} for {taps} taps" + ("" if ts is None else f" {ts} floats apart") + ", output positions [from, to) in steps")
    emit(f"     * of L. Rounds with the 2^23 trick (the 2^-16 that sends halves up is the accumulator's start); {{@code clip = false}}")
    emit(f"     * skips the clip to [0, 255], for callers that know the sums stay within [0, 255.5).")
    emit(f"     */")
    stride_param = "int ts, " if ts is None else ""
    emit(f"    static void horizontalSymmetricU8{suffix}(float[] src, int srcOff, {stride_param}float[] w, byte[] dst, int dstOff, int from, int to, boolean clip) {{")
    weights(half + odd)
    emit("        FloatVector tie = FloatVector.broadcast(F, ScalarRowOps.TIE_UP), round = FloatVector.broadcast(F, ScalarRowOps.ROUND);")
    if ts is None:
        emit("        " + " ".join(f"int t{b} = {b} * ts;" for b in range(1, taps)))
        tap = lambda b: "o" if b == 0 else f"o + t{b}"
    else:
        tap = lambda b: "o" if b == 0 else f"o + {b * ts}"
    emit("        int shift = dstOff - srcOff;")
    emit("        for (int o = srcOff + from, end = srcOff + to; o < end; o += L) {")
    if odd:
        emit(f"            FloatVector a = FloatVector.fromArray(F, src, {tap(half)}).fma(w{half}, tie);")
    else:
        emit("            FloatVector a = tie;")
    for a in range(half - 1, -1, -1):
        emit(f"            a = FloatVector.fromArray(F, src, {tap(a)}).add(FloatVector.fromArray(F, src, {tap(taps - 1 - a)})).fma(w{a}, a);")
    emit("            IntVector bits = a.add(round).reinterpretAsInts();")
    emit("            if (clip) bits = bits.max(ScalarRowOps.ROUND_BITS).min(ScalarRowOps.ROUND_BITS + 255);")
    emit("            ((ByteVector) bits.convertShape(VectorOperators.I2B, B, 0)).intoArray(dst, o + shift);")
    emit("        }")
    emit("    }")
    emit()


def horizontal_mixed(taps, ts, pset):
    """The taps in pset built by two-vector permutes from vectors loaded once and carried along the row, the others
    loaded: the horizontal pass is bound by unaligned loads, and a few permutes (which run on other ports) relieve
    them. Which taps: see MIXED."""
    half, odd = taps // 2, taps % 2
    chunks = ((taps - 1) * ts + L_MAX - 1) // L_MAX + 1
    emit(f"    /**")
    emit(f"     * {{@link #horizontalSymmetricU8{taps}x{ts}}} with taps {sorted(pset)} built by permutes from carried vectors. Reads up to")
    emit(f"     * {{@code L}} floats past the last tap: callers check that the row has them.")
    emit(f"     */")
    emit(f"    static void horizontalSymmetricU8{taps}x{ts}Mixed(float[] src, int srcOff, float[] w, byte[] dst, int dstOff, int from, int to, boolean clip) {{")
    weights(half + odd)
    emit("        FloatVector tie = FloatVector.broadcast(F, ScalarRowOps.TIE_UP), round = FloatVector.broadcast(F, ScalarRowOps.ROUND);")
    shifts = sorted({(ts * b) % L_MAX for b in pset if (ts * b) % L_MAX})
    for r in shifts:
        emit(f"        FloatVector s{r} = SHIFT[{r}];")
    emit("        int shift = dstOff - srcOff;")
    emit("        int o = srcOff + from, end = srcOff + to;")
    emit("        " + " ".join(f"FloatVector c{k} = FloatVector.fromArray(F, src, o + {k} * L);" for k in range(chunks - 1)))
    emit("        for (; o < end; o += L) {")
    emit(f"            FloatVector c{chunks - 1} = FloatVector.fromArray(F, src, o + {chunks - 1} * L);")
    def tap(b):
        off = ts * b
        q, r = off // L_MAX, off % L_MAX
        if r == 0:
            return f"c{q}"
        if b in pset:
            return f"s{r}.selectFrom(c{q}, c{q + 1})"
        return f"FloatVector.fromArray(F, src, o + {off})"
    if odd:
        emit(f"            FloatVector a = {tap(half)}.fma(w{half}, tie);")
    else:
        emit("            FloatVector a = tie;")
    for a in range(half - 1, -1, -1):
        emit(f"            a = {tap(a)}.add({tap(taps - 1 - a)}).fma(w{a}, a);")
    emit("            IntVector bits = a.add(round).reinterpretAsInts();")
    emit("            if (clip) bits = bits.max(ScalarRowOps.ROUND_BITS).min(ScalarRowOps.ROUND_BITS + 255);")
    emit("            ((ByteVector) bits.convertShape(VectorOperators.I2B, B, 0)).intoArray(dst, o + shift);")
    emit("            " + " ".join(f"c{k} = c{k + 1};" for k in range(chunks - 1)))
    emit("        }")
    emit("    }")
    emit()


def direct(k):
    rows = k + ROWS - 1
    emit(f"    /** {{@link RowOps#direct4}} for a {k}x{k} kernel (weights held in registers), output positions [from, to) in steps of L. */")
    emit(f"    static void direct4x{k}(float[][] rows, int[] offs, float[] k, int ts, float[][] dst, int[] dstOffs, int from, int to) {{")
    for a in range(k):
        emit("        FloatVector " + ", ".join(f"k{a}{b} = FloatVector.broadcast(F, k[{a * k + b}])" for b in range(k)) + ";")
    emit("        " + " ".join(f"float[] r{r} = rows[{r}];" for r in range(rows)))
    emit("        " + " ".join(f"int o{r} = offs[{r}];" for r in range(rows)))
    emit("        float[] d0 = dst[0], d1 = dst[1], d2 = dst[2], d3 = dst[3];")
    emit("        int e0 = dstOffs[0], e1 = dstOffs[1], e2 = dstOffs[2], e3 = dstOffs[3];")
    emit("        " + " ".join(f"int t{b} = {b} * ts;" for b in range(1, k)))
    emit("        for (int i = from; i < to; i += L) {")
    emit("            FloatVector zero = FloatVector.zero(F);")
    emit("            FloatVector " + ", ".join(f"a{j} = zero" for j in range(ROWS)) + ";")
    # Each source row r feeds output rows j with kernel row r - j: one load, up to ROWS multiply-adds.
    for r in range(rows):
        for b in range(k):
            off = f"o{r} + i" if b == 0 else f"o{r} + i + t{b}"
            fmas = [f"a{j} = x.fma(k{r - j}{b}, a{j});" for j in range(ROWS) if 0 <= r - j < k]
            emit(f"            {{ FloatVector x = FloatVector.fromArray(F, r{r}, {off}); " + " ".join(fmas) + " }")
    for j in range(ROWS):
        emit(f"            a{j}.intoArray(d{j}, e{j} + i);")
    emit("        }")
    emit("    }")
    emit()


emit("// Generated by gen_kernels.py in this folder: edit the generator, not this file (python3 gen_kernels.py > VectorKernels.java).")
emit("package dev.convolve.vision.fast;")
emit()
emit("import static dev.convolve.vision.fast.VectorRowOps.B;")
emit("import static dev.convolve.vision.fast.VectorRowOps.F;")
emit("import static dev.convolve.vision.fast.VectorRowOps.I;")
emit("import static dev.convolve.vision.fast.VectorRowOps.L;")
emit()
emit("import jdk.incubator.vector.ByteVector;")
emit("import jdk.incubator.vector.FloatVector;")
emit("import jdk.incubator.vector.IntVector;")
emit("import jdk.incubator.vector.VectorOperators;")
emit()
emit("/**")
emit(" * The inner loops of {@link VectorRowOps} for the common kernel sizes, every tap written out: weights broadcast once")
emit(" * into registers, each source vector loaded once and used for every output row it feeds, four output rows per")
emit(" * pass for the vertical and direct passes. Callers pass ranges that are whole vectors; {@link VectorRowOps} covers")
emit(" * the rest (the last, partial vector by recomputing the last whole one, tiny rows with scalar loops). The sizes")
emit(" * here must match {@link RowOps#unrolledTaps} and {@link RowOps#unrolledDirect}.")
emit(" */")
emit("final class VectorKernels {")
emit("    private VectorKernels() {}")
emit()
emit("    /** {@code SHIFT[r]} selects lanes r .. r + L - 1 of two concatenated vectors (a shift by r lanes). */")
emit("    static final FloatVector[] SHIFT = new FloatVector[L];")
emit()
emit("    static {")
emit("        for (int r = 0; r < L; r++) {")
emit("            float[] index = new float[L];")
emit("            for (int j = 0; j < L; j++) index[j] = j + r;")
emit("            SHIFT[r] = FloatVector.fromArray(F, index, 0);")
emit("        }")
emit("    }")
emit()
emit(f"    /** Whether {{@link #horizontalSymmetricU8Mixed}} exists for these taps and stride (and this vector length). */")
emit(f"    static boolean hasMixed(int taps, int ts) {{")
emit(f"        return L == {L_MAX} && switch (taps * 8 + ts) {{")
emit("            case " + ", ".join(str(t * 8 + ts) for (t, ts) in sorted(MIXED)) + " -> true;")
emit("            default -> false;")
emit("        };")
emit("    }")
emit()
for t in VERTICAL_TAPS:
    vertical_f32(t)
for t in VERTICAL_U8_TAPS:
    vertical_u8(t)
for t in RING_TAPS:
    vertical_ring(t)
for t in HORIZONTAL_TAPS:
    horizontal(t)
    for ts in TAP_STRIDES:
        horizontal(t, ts)
        if (t, ts) in MIXED:
            horizontal_mixed(t, ts, MIXED[(t, ts)])
for k in DIRECT_SIZES:
    direct(k)


def dispatch(name, sig, call, sizes, key):
    emit(f"    static void {name}({sig}) {{")
    emit(f"        switch ({key}) {{")
    for s in sizes:
        emit(f"            case {s} -> {call.format(s=s)};")
    emit(f"            default -> throw new IllegalArgumentException(\"no unrolled {name} for \" + {key});")
    emit("        }")
    emit("    }")
    emit()


dispatch("vertical4Symmetric", "int taps, float[][] rows, float[] w, float[][] dst, int dstOff, int from, int to",
         "vertical4Symmetric{s}(rows, w, dst, dstOff, from, to)", VERTICAL_TAPS, "taps")
dispatch("vertical4SymmetricRing", "int taps, float[][] rows, byte[][] src, int[] srcOffs, float[] w, float[][] dst, int dstOff, int from, int to",
         "vertical4SymmetricRing{s}(rows, src, srcOffs, w, dst, dstOff, from, to)", RING_TAPS, "taps")
dispatch("vertical4SymmetricU8", "int taps, byte[][] rows, int[] offs, float[] w, float[][] dst, int dstOff, int from, int to",
         "vertical4SymmetricU8{s}(rows, offs, w, dst, dstOff, from, to)", VERTICAL_U8_TAPS, "taps")
emit("    static void horizontalSymmetricU8(int taps, float[] src, int srcOff, int ts, float[] w, byte[] dst, int dstOff, int from, int to, boolean clip) {")
emit("        switch (taps * 8 + ts) {")
for t in HORIZONTAL_TAPS:
    for ts in TAP_STRIDES:
        emit(f"            case {t * 8 + ts} -> horizontalSymmetricU8{t}x{ts}(src, srcOff, w, dst, dstOff, from, to, clip);")
emit("            default -> {")
emit("                switch (taps) {")
for t in HORIZONTAL_TAPS:
    emit(f"                    case {t} -> horizontalSymmetricU8{t}(src, srcOff, ts, w, dst, dstOff, from, to, clip);")
emit("                    default -> throw new IllegalArgumentException(\"no unrolled horizontalSymmetricU8 for \" + taps);")
emit("                }")
emit("            }")
emit("        }")
emit("    }")
emit()
emit("    static void horizontalSymmetricU8Mixed(int taps, float[] src, int srcOff, int ts, float[] w, byte[] dst, int dstOff, int from, int to, boolean clip) {")
emit("        switch (taps * 8 + ts) {")
for (t, ts) in sorted(MIXED):
    emit(f"            case {t * 8 + ts} -> horizontalSymmetricU8{t}x{ts}Mixed(src, srcOff, w, dst, dstOff, from, to, clip);")
emit("            default -> throw new IllegalArgumentException(\"no mixed horizontalSymmetricU8 for \" + taps + \" taps, stride \" + ts);")
emit("        }")
emit("    }")
emit()
dispatch("direct4", "int size, float[][] rows, int[] offs, float[] k, int ts, float[][] dst, int[] dstOffs, int from, int to",
         "direct4x{s}(rows, offs, k, ts, dst, dstOffs, from, to)", DIRECT_SIZES, "size")
emit("}")

print("\n".join(out))
