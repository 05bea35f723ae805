package dev.convolve.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable n-dimensional array of one {@link DType}, stored contiguously in row-major order.
 *
 * <p>Operations return new tensors and follow Elixir Nx's rules for result types (for example
 * {@code u8 + s8 -> s16}, integer {@code divide -> f32}, {@code sum} of {@code s8 -> s32}).
 * Binary operations broadcast like NumPy and Nx (shapes aligned at the last axis).
 * {@code toString()} prints the way Nx inspects a tensor:
 *
 * {@snippet :
 * Tensor m = Tensor.of(new int[][] {{1, 2}, {3, 4}});
 * System.out.println(m);
 * // #Nx.Tensor<
 * //   s32[2][2]
 * //   [
 * //     [1, 2],
 * //     [3, 4]
 * //   ]
 * // >
 * }
 *
 * <p>Invalid arguments raise {@link IllegalArgumentException} with a message that names the operation,
 * the rule and the shapes.
 */
public final class Tensor {
    private final DType dtype;
    private final Shape shape;
    private final Object data;

    private Tensor(DType dtype, Shape shape, Object data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    // ------------------------------------------------------------------ creation

    /**
     * Wraps an existing storage array without copying. The array must be of the storage class of
     * {@code type} (see {@link Buffers}) and hold exactly {@code shape.size()} elements. The caller
     * hands the array over: mutating it afterwards changes the tensor.
     */
    public static Tensor wrap(DType type, Shape shape, Object data) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        if (data.getClass() != Buffers.storageClass(type)) {
            throw new IllegalArgumentException("tensor: a " + type + " tensor is stored in " + Buffers.storageClass(type).getSimpleName()
                    + ", got " + data.getClass().getSimpleName());
        }
        int n = Buffers.length(data);
        if (n != shape.size()) {
            throw new IllegalArgumentException("tensor: shape " + shape.toTuple() + " needs " + shape.size() + " elements, got " + n);
        }
        return new Tensor(type, shape, data);
    }

    /** Wraps {@code data} (no copy) with the given shape. */
    public static Tensor wrap(float[] data, int... shape) { return wrap(DType.F32, Shape.of(shape), data); }

    /** Wraps {@code data} (no copy) with the given shape. */
    public static Tensor wrap(double[] data, int... shape) { return wrap(DType.F64, Shape.of(shape), data); }

    /** An f32 tensor holding a copy of {@code data}. */
    public static Tensor fromFloats(float[] data, int... shape) { return wrap(DType.F32, Shape.of(shape), data.clone()); }

    /** An f64 tensor holding a copy of {@code data}. */
    public static Tensor fromDoubles(double[] data, int... shape) { return wrap(DType.F64, Shape.of(shape), data.clone()); }

    /** An s32 tensor holding a copy of {@code data}. */
    public static Tensor fromInts(int[] data, int... shape) { return wrap(DType.S32, Shape.of(shape), data.clone()); }

    /** An s64 tensor holding a copy of {@code data}. */
    public static Tensor fromLongs(long[] data, int... shape) { return wrap(DType.S64, Shape.of(shape), data.clone()); }

    /** A u8 tensor holding a copy of {@code data} (bytes read as 0..255). */
    public static Tensor fromU8(byte[] data, int... shape) { return wrap(DType.U8, Shape.of(shape), data.clone()); }

    /** A tensor of type {@code type} from values given as doubles (converted with {@link #asType} rules). */
    public static Tensor fromValues(DType type, double[] values, int... shape) {
        Shape s = Shape.of(shape);
        if (values.length != s.size()) {
            throw new IllegalArgumentException("tensor: shape " + s.toTuple() + " needs " + s.size() + " elements, got " + values.length);
        }
        Object d = Buffers.allocate(type, values.length);
        for (int i = 0; i < values.length; i++) Buffers.setDouble(type, d, i, values[i]);
        return new Tensor(type, s, d);
    }

    /**
     * A tensor from a Java array, nested to any depth ({@code float[][]}, {@code int[][][]}, ...).
     * The type follows the element class like Nx does for literals: {@code float -> f32},
     * {@code double -> f64}, {@code int -> s32}, {@code long -> s64}, {@code short -> s16},
     * {@code byte -> s8}, {@code boolean -> u8}. A boxed {@link Number} gives a scalar.
     */
    public static Tensor of(Object array) {
        return NestedArrays.toTensor(array, null);
    }

    /** As {@link #of(Object)}, converting the values to {@code type}. */
    public static Tensor of(Object array, DType type) {
        return NestedArrays.toTensor(array, type);
    }

    /** An f32 scalar. */
    public static Tensor scalar(float value) { return new Tensor(DType.F32, Shape.scalar(), new float[] {value}); }

    /** An f64 scalar. */
    public static Tensor scalar(double value) { return new Tensor(DType.F64, Shape.scalar(), new double[] {value}); }

    /** An s32 scalar. */
    public static Tensor scalar(int value) { return new Tensor(DType.S32, Shape.scalar(), new int[] {value}); }

    /** An s64 scalar. */
    public static Tensor scalar(long value) { return new Tensor(DType.S64, Shape.scalar(), new long[] {value}); }

    /** A scalar of {@code type}. */
    public static Tensor scalar(double value, DType type) { return full(value, type); }

    /** A tensor of the given shape filled with {@code value}, converted to {@code type}. */
    public static Tensor full(double value, DType type, int... shape) {
        Shape s = Shape.of(shape);
        Object d = Buffers.allocate(type, s.size());
        if (value != 0) {
            Object one = Buffers.allocate(type, 1);
            Buffers.setDouble(type, one, 0, value);
            Fill.fill(type, d, one);
        }
        return new Tensor(type, s, d);
    }

    /** A tensor of the given shape filled with the integer {@code value}, wrapped into {@code type}. */
    public static Tensor full(long value, DType type, int... shape) {
        Shape s = Shape.of(shape);
        Object d = Buffers.allocate(type, s.size());
        if (value != 0) {
            Object one = Buffers.allocate(type, 1);
            Buffers.setLong(type, one, 0, value);
            Fill.fill(type, d, one);
        }
        return new Tensor(type, s, d);
    }

    public static Tensor zeros(DType type, int... shape) { return new Tensor(type, Shape.of(shape), Buffers.allocate(type, Shape.of(shape).size())); }

    public static Tensor ones(DType type, int... shape) { return full(1L, type, shape); }

    /** Zeros with the type and shape of {@code like}. */
    public static Tensor zerosLike(Tensor like) { return new Tensor(like.dtype, like.shape, Buffers.allocate(like.dtype, like.size())); }

    /** Nx's {@code iota}: counts 0, 1, 2, ... through all elements in row-major order. */
    public static Tensor iota(DType type, int... shape) {
        Shape s = Shape.of(shape);
        Object d = Buffers.allocate(type, s.size());
        for (int i = 0; i < s.size(); i++) Buffers.setLong(type, d, i, i);
        return new Tensor(type, s, d);
    }

    /** Nx's {@code iota} with {@code axis:}: each element holds its index along {@code axis}. */
    public static Tensor iota(DType type, Shape shape, int axis) {
        int a = shape.normalizeAxis(axis);
        Object d = Buffers.allocate(type, shape.size());
        int inner = shape.strides()[a];
        int len = shape.dim(a);
        for (int i = 0; i < shape.size(); i++) Buffers.setLong(type, d, i, (i / inner) % len);
        return new Tensor(type, shape, d);
    }

    /** The n x n identity matrix. */
    public static Tensor eye(DType type, int n) {
        Object d = Buffers.allocate(type, n * n);
        for (int i = 0; i < n; i++) Buffers.setLong(type, d, i * n + i, 1);
        return new Tensor(type, Shape.of(n, n), d);
    }

    /** Uniform random values in [low, high), reproducible for a given seed. */
    public static Tensor randomUniform(long seed, DType type, double low, double high, int... shape) {
        return RandomTensors.uniform(seed, type, low, high, Shape.of(shape));
    }

    /** Normal random values with the given mean and standard deviation, reproducible for a given seed. */
    public static Tensor randomNormal(long seed, DType type, double mean, double std, int... shape) {
        return RandomTensors.normal(seed, type, mean, std, Shape.of(shape));
    }

    // ------------------------------------------------------------------ accessors

    public DType dtype() { return dtype; }

    public Shape shape() { return shape; }

    public int rank() { return shape.rank(); }

    public int size() { return shape.size(); }

    /** The axis sizes (a copy). */
    public int[] dims() { return shape.dims(); }

    /** Size of one axis; negative axes count from the end. */
    public int dim(int axis) { return shape.dim(axis); }

    /**
     * The backing storage array (no copy): {@code float[]} for f32 and so on (see {@link Buffers}).
     * Tensors are immutable by contract: only code that created the array may write to it.
     */
    public Object data() { return data; }

    /** The backing array of an f32 tensor (no copy). Throws if the tensor is not f32. */
    public float[] floatData() {
        if (dtype != DType.F32) throw new IllegalArgumentException("floatData: tensor is " + dtype + shape + ", not f32");
        return (float[]) data;
    }

    /** The backing array of an f64 tensor (no copy). Throws if the tensor is not f64. */
    public double[] doubleData() {
        if (dtype != DType.F64) throw new IllegalArgumentException("doubleData: tensor is " + dtype + shape + ", not f64");
        return (double[]) data;
    }

    /** Element at a flat (row-major) position, as a double. */
    public double getFlat(int flatIndex) { return Buffers.getDouble(dtype, data, flatIndex); }

    /** Element at a flat (row-major) position, as a long (floats truncated). */
    public long getFlatLong(int flatIndex) { return Buffers.getLong(dtype, data, flatIndex); }

    /** Element at the given index, as a double. */
    public double get(int... index) { return getFlat(flatIndex(index)); }

    /** Element at the given index, as a long (floats truncated toward zero). */
    public long getLong(int... index) { return getFlatLong(flatIndex(index)); }

    /** The only element of a tensor with one element, as a double. */
    public double item() {
        if (size() != 1) throw new IllegalArgumentException("item: expected a tensor with one element, got " + dtype + shape);
        return getFlat(0);
    }

    /** All elements in row-major order, as doubles. */
    public double[] toDoubleArray() {
        if (dtype == DType.F64) return ((double[]) data).clone();
        return (double[]) Buffers.convert(dtype, data, DType.F64);
    }

    /** All elements in row-major order, as floats. */
    public float[] toFloatArray() {
        if (dtype == DType.F32) return ((float[]) data).clone();
        return (float[]) Buffers.convert(dtype, data, DType.F32);
    }

    /** All elements in row-major order, as longs (floats truncated, saturated). */
    public long[] toLongArray() {
        long[] r = new long[size()];
        for (int i = 0; i < r.length; i++) r[i] = getFlatLong(i);
        return r;
    }

    /** All elements in row-major order, as ints (values converted with {@link #asType} rules to s32). */
    public int[] toIntArray() {
        return (int[]) Buffers.convert(dtype, data, DType.S32);
    }

    /** The values as a nested Java array: {@code float[][]} for a 2-D f32 tensor, {@code long} for unsigned 32-bit, ... */
    public Object toArray() { return NestedArrays.fromTensor(this); }

    private int flatIndex(int[] index) {
        if (index.length != rank()) {
            throw new IllegalArgumentException("index: expected " + rank() + " indices for shape " + shape.toTuple() + ", got " + Arrays.toString(index));
        }
        int f = 0;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d) {
                throw new IllegalArgumentException("index: " + Arrays.toString(index) + " out of bounds for shape " + shape.toTuple());
            }
            f = f * d + index[i];
        }
        return f;
    }

    // ------------------------------------------------------------------ type

    /**
     * Converts to {@code type}: integers wrap into a narrower integer type; floats become integers by
     * truncation toward zero, saturating at the type's limits (NaN becomes 0, as in Nx).
     */
    public Tensor asType(DType type) {
        if (type == dtype) return this;
        return new Tensor(type, shape, Buffers.convert(dtype, data, type));
    }

    /** Reinterprets with the same type and element count but another shape, sharing storage. */
    Tensor withShape(Shape s) { return new Tensor(dtype, s, data); }

    // ------------------------------------------------------------------ movement

    /** Same elements, new shape. One axis may be -1 (inferred). */
    public Tensor reshape(int... newShape) { return withShape(Movement.reshapeShape(shape, newShape)); }

    /** A 1-D view of all elements. */
    public Tensor flatten() { return withShape(Shape.of(size())); }

    /** Permutes the axes: axis {@code i} of the result is axis {@code perm[i]} of this tensor. No argument reverses them. */
    public Tensor transpose(int... perm) { return Movement.transpose(this, perm); }

    /** Inserts an axis of size 1 at {@code axis} (negative counts from the end of the result). */
    public Tensor newAxis(int axis) { return withShape(Movement.newAxisShape(shape, axis)); }

    /** Removes the given axes, which must have size 1; with no argument removes every axis of size 1. */
    public Tensor squeeze(int... axes) { return withShape(Movement.squeezeShape(shape, axes)); }

    /**
     * Nx's {@code slice}: {@code lengths[i]} elements along axis {@code i} from {@code start[i]}, taking every
     * {@code strides[i]}-th. Start indices are clamped so the slice fits (as Nx does).
     */
    public Tensor slice(int[] start, int[] lengths, int[] strides) { return Movement.slice(this, start, lengths, strides); }

    public Tensor slice(int[] start, int[] lengths) {
        int[] st = new int[rank()];
        Arrays.fill(st, 1);
        return slice(start, lengths, st);
    }

    /** {@code length} elements along one axis, starting at {@code start}. */
    public Tensor sliceAxis(int start, int length, int axis) {
        int a = shape.normalizeAxis(axis);
        int[] st = new int[rank()];
        int[] len = shape.dims();
        st[a] = start;
        len[a] = length;
        return slice(st, len);
    }

    /** Element {@code i} along the first axis, with that axis removed ({@code t[i]} in Nx). */
    public Tensor get(int i) {
        if (rank() == 0) throw new IllegalArgumentException("get: cannot index a scalar");
        int d = shape.dim(0);
        int j = i < 0 ? i + d : i;
        if (j < 0 || j >= d) throw new IllegalArgumentException("get: index " + i + " out of bounds for axis 0 of shape " + shape.toTuple());
        return sliceAxis(j, 1, 0).squeeze(0);
    }

    /** Reverses the order of elements along the given axes (all axes when none given). */
    public Tensor reverse(int... axes) { return Movement.reverse(this, axes); }

    /** Broadcasts to {@code target} (trailing axes aligned; size-1 axes repeat). */
    public Tensor broadcastTo(int... target) { return Movement.broadcastTo(this, Shape.of(target)); }

    /** Joins tensors along an existing axis; the result type is the merge of their types. */
    public static Tensor concatenate(List<Tensor> tensors, int axis) { return Movement.concatenate(tensors, axis); }

    /** Joins tensors of equal shape along a new axis. */
    public static Tensor stack(List<Tensor> tensors, int axis) {
        List<Tensor> expanded = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) expanded.add(t.newAxis(axis < 0 ? axis : axis));
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack: expected at least one tensor");
        int a = axis < 0 ? axis + tensors.get(0).rank() + 1 : axis;
        return Movement.concatenate(expanded, a);
    }

    /**
     * Splits along the first axis into batches of {@code batchSize} (Nx's {@code to_batched}); the last batch
     * is smaller when the size does not divide.
     */
    public List<Tensor> toBatched(int batchSize) {
        if (rank() == 0) throw new IllegalArgumentException("to_batched: cannot batch a scalar");
        if (batchSize < 1) throw new IllegalArgumentException("to_batched: batch size must be positive, got " + batchSize);
        List<Tensor> out = new ArrayList<>();
        int n = shape.dim(0);
        for (int s = 0; s < n; s += batchSize) out.add(sliceAxis(s, Math.min(batchSize, n - s), 0));
        return out;
    }

    // ------------------------------------------------------------------ elementwise

    public Tensor add(Tensor other) { return Elementwise.binary(this, other, BinaryOp.ADD); }

    public Tensor add(double value) { return Elementwise.binaryNumber(this, value, BinaryOp.ADD, false); }

    public Tensor add(long value) { return Elementwise.binaryNumber(this, value, BinaryOp.ADD, false); }

    public Tensor subtract(Tensor other) { return Elementwise.binary(this, other, BinaryOp.SUBTRACT); }

    public Tensor subtract(double value) { return Elementwise.binaryNumber(this, value, BinaryOp.SUBTRACT, false); }

    public Tensor subtract(long value) { return Elementwise.binaryNumber(this, value, BinaryOp.SUBTRACT, false); }

    public Tensor multiply(Tensor other) { return Elementwise.binary(this, other, BinaryOp.MULTIPLY); }

    public Tensor multiply(double value) { return Elementwise.binaryNumber(this, value, BinaryOp.MULTIPLY, false); }

    public Tensor multiply(long value) { return Elementwise.binaryNumber(this, value, BinaryOp.MULTIPLY, false); }

    /** Division; always floating (Nx: {@code s32 / s32 -> f32}). */
    public Tensor divide(Tensor other) { return Elementwise.binary(this, other, BinaryOp.DIVIDE); }

    public Tensor divide(double value) { return Elementwise.binaryNumber(this, value, BinaryOp.DIVIDE, false); }

    public Tensor divide(long value) { return Elementwise.binaryNumber(this, value, BinaryOp.DIVIDE, false); }

    /** Integer division truncating toward zero (Nx's {@code quotient}); integers only. */
    public Tensor quotient(Tensor other) { return Elementwise.binary(this, other, BinaryOp.QUOTIENT); }

    /** Remainder with the sign of the dividend (Nx's {@code remainder}). */
    public Tensor remainder(Tensor other) { return Elementwise.binary(this, other, BinaryOp.REMAINDER); }

    public Tensor pow(Tensor other) { return Elementwise.binary(this, other, BinaryOp.POW); }

    public Tensor pow(double value) { return Elementwise.binaryNumber(this, value, BinaryOp.POW, false); }

    public Tensor pow(long value) { return Elementwise.binaryNumber(this, value, BinaryOp.POW, false); }

    /** Elementwise maximum (Nx's {@code max}). */
    public Tensor maximum(Tensor other) { return Elementwise.binary(this, other, BinaryOp.MAX); }

    public Tensor maximum(double value) { return Elementwise.binaryNumber(this, value, BinaryOp.MAX, false); }

    /** Elementwise minimum (Nx's {@code min}). */
    public Tensor minimum(Tensor other) { return Elementwise.binary(this, other, BinaryOp.MIN); }

    public Tensor minimum(double value) { return Elementwise.binaryNumber(this, value, BinaryOp.MIN, false); }

    /** 1 where equal, else 0 (u8). */
    public Tensor equal(Tensor other) { return Elementwise.binary(this, other, BinaryOp.EQUAL); }

    public Tensor notEqual(Tensor other) { return Elementwise.binary(this, other, BinaryOp.NOT_EQUAL); }

    public Tensor greater(Tensor other) { return Elementwise.binary(this, other, BinaryOp.GREATER); }

    public Tensor greater(double value) { return Elementwise.binaryNumber(this, value, BinaryOp.GREATER, false); }

    public Tensor greaterEqual(Tensor other) { return Elementwise.binary(this, other, BinaryOp.GREATER_EQUAL); }

    public Tensor less(Tensor other) { return Elementwise.binary(this, other, BinaryOp.LESS); }

    public Tensor less(double value) { return Elementwise.binaryNumber(this, value, BinaryOp.LESS, false); }

    public Tensor lessEqual(Tensor other) { return Elementwise.binary(this, other, BinaryOp.LESS_EQUAL); }

    /** Picks {@code onTrue} where {@code predicate} is non-zero, else {@code onFalse}; all three broadcast. */
    public static Tensor select(Tensor predicate, Tensor onTrue, Tensor onFalse) { return Elementwise.select(predicate, onTrue, onFalse); }

    /** Limits every element to [min, max]; the type is kept (Nx's {@code clip} with numbers). */
    public Tensor clip(double min, double max) {
        if (min > max) throw new IllegalArgumentException("clip: min (" + min + ") must not exceed max (" + max + ")");
        return Elementwise.clip(this, min, max);
    }

    public Tensor negate() { return Elementwise.unary(this, UnaryOp.NEGATE); }

    public Tensor abs() { return Elementwise.unary(this, UnaryOp.ABS); }

    public Tensor sign() { return Elementwise.unary(this, UnaryOp.SIGN); }

    public Tensor square() { return multiply(this); }

    public Tensor exp() { return Elementwise.unary(this, UnaryOp.EXP); }

    public Tensor log() { return Elementwise.unary(this, UnaryOp.LOG); }

    public Tensor sqrt() { return Elementwise.unary(this, UnaryOp.SQRT); }

    public Tensor rsqrt() { return Elementwise.unary(this, UnaryOp.RSQRT); }

    public Tensor tanh() { return Elementwise.unary(this, UnaryOp.TANH); }

    public Tensor sigmoid() { return Elementwise.unary(this, UnaryOp.SIGMOID); }

    public Tensor erf() { return Elementwise.unary(this, UnaryOp.ERF); }

    public Tensor sin() { return Elementwise.unary(this, UnaryOp.SIN); }

    public Tensor cos() { return Elementwise.unary(this, UnaryOp.COS); }

    public Tensor floor() { return Elementwise.unary(this, UnaryOp.FLOOR); }

    public Tensor ceil() { return Elementwise.unary(this, UnaryOp.CEIL); }

    /** Rounds half away from zero (Nx's {@code round}). */
    public Tensor round() { return Elementwise.unary(this, UnaryOp.ROUND); }

    // ------------------------------------------------------------------ reductions

    /** Sum over the given axes (all when none). Integer sums widen as Nx's {@code to_aggregate}: s8..s32 -> s32, u8..u32 -> u32. */
    public Tensor sum(int... axes) { return Reductions.reduce(this, Reductions.Kind.SUM, axes, false); }

    public Tensor sum(int[] axes, boolean keepAxes) { return Reductions.reduce(this, Reductions.Kind.SUM, axes, keepAxes); }

    /** Product over the given axes (all when none), with the same type rules as {@link #sum}. */
    public Tensor product(int... axes) { return Reductions.reduce(this, Reductions.Kind.PRODUCT, axes, false); }

    /** Mean over the given axes (all when none); always floating. */
    public Tensor mean(int... axes) { return Reductions.reduce(this, Reductions.Kind.MEAN, axes, false); }

    public Tensor mean(int[] axes, boolean keepAxes) { return Reductions.reduce(this, Reductions.Kind.MEAN, axes, keepAxes); }

    /** Maximum over the given axes (all when none); type kept. */
    public Tensor reduceMax(int... axes) { return Reductions.reduce(this, Reductions.Kind.MAX, axes, false); }

    public Tensor reduceMax(int[] axes, boolean keepAxes) { return Reductions.reduce(this, Reductions.Kind.MAX, axes, keepAxes); }

    /** Minimum over the given axes (all when none); type kept. */
    public Tensor reduceMin(int... axes) { return Reductions.reduce(this, Reductions.Kind.MIN, axes, false); }

    public Tensor reduceMin(int[] axes, boolean keepAxes) { return Reductions.reduce(this, Reductions.Kind.MIN, axes, keepAxes); }

    /** Index of the largest element along {@code axis} (first on ties), s32, axis removed. */
    public Tensor argmax(int axis) { return Reductions.argExtreme(this, axis, true); }

    /** Index of the largest element over all elements (flat index), s32 scalar. */
    public Tensor argmax() { return flatten().argmax(0); }

    /** Index of the smallest element along {@code axis} (first on ties), s32, axis removed. */
    public Tensor argmin(int axis) { return Reductions.argExtreme(this, axis, false); }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Matrix product with NumPy's {@code matmul} rules: 2-D x 2-D is the matrix product; 1-D operands are
     * treated as a row (left) or column (right) vector; higher ranks are batches of matrices whose batch axes
     * broadcast. The type is the merge of both types. Contracted sizes must match.
     */
    public Tensor matmul(Tensor other) { return LinAlg.matmul(this, other); }

    /** Nx's {@code dot}: for 1-D and 2-D operands the same as {@link #matmul}; contracts the last axis of this with the first of {@code other} otherwise. */
    public Tensor dot(Tensor other) { return LinAlg.dot(this, other); }

    // ------------------------------------------------------------------ comparison helpers

    /** True when shapes are equal and every element is within {@code atol + rtol * |other|} (NaN equal to NaN). */
    public boolean allClose(Tensor other, double rtol, double atol) {
        if (!shape.equals(other.shape)) return false;
        for (int i = 0; i < size(); i++) {
            double a = getFlat(i), b = other.getFlat(i);
            if (Double.isNaN(a) && Double.isNaN(b)) continue;
            if (a == b) continue;
            if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) return false;
        }
        return true;
    }

    /** Largest absolute difference between elements of two tensors of the same shape. */
    public double maxAbsDiff(Tensor other) {
        if (!shape.equals(other.shape)) {
            throw new IllegalArgumentException("maxAbsDiff: shapes differ, " + shape.toTuple() + " and " + other.shape.toTuple());
        }
        double m = 0;
        for (int i = 0; i < size(); i++) {
            double a = getFlat(i), b = other.getFlat(i);
            if (a == b) continue;
            double d = Math.abs(a - b);
            if (Double.isNaN(d)) return Double.NaN;
            m = Math.max(m, d);
        }
        return m;
    }

    /** Same type, shape and elements (bit for bit, NaN equal to NaN). */
    public boolean contentEquals(Tensor other) {
        if (dtype != other.dtype || !shape.equals(other.shape)) return false;
        return switch (data) {
            case byte[] a -> Arrays.equals(a, (byte[]) other.data);
            case short[] a -> Arrays.equals(a, (short[]) other.data);
            case int[] a -> Arrays.equals(a, (int[]) other.data);
            case long[] a -> Arrays.equals(a, (long[]) other.data);
            case float[] a -> Arrays.equals(a, (float[]) other.data);
            case double[] a -> Arrays.equals(a, (double[]) other.data);
            default -> false;
        };
    }

    /** {@code f32[2][3]}: the type and shape as Nx writes them. */
    public String describe() { return dtype.nxName() + shape; }

    /** The tensor as Nx inspects it: {@code #Nx.Tensor<}, the type and shape, the nested values, {@code >}. */
    @Override
    public String toString() { return Formatting.inspect(this, Formatting.DEFAULT_LIMIT); }

    /** As {@link #toString()} but printing at most {@code limit} elements (Nx's {@code limit:} option; -1 for all). */
    public String toString(int limit) { return Formatting.inspect(this, limit); }

    /** Just the nested values, e.g. {@code [[19.0, 25.0], [37.0, 43.0]]}, on one line. */
    public String valuesString() { return Formatting.values(this); }
}
