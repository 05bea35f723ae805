package dev.convolve.tensor;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/** Converts between nested Java arrays ({@code float[][]}, ...) and tensors. */
final class NestedArrays {
    private NestedArrays() {}

    static Tensor toTensor(Object array, DType requested) {
        if (array == null) throw new IllegalArgumentException("tensor: expected an array or a number, got null");
        if (array instanceof Tensor t) return requested == null ? t : t.asType(requested);
        if (array instanceof Number n) {
            DType t = requested != null ? requested : inferScalar(n);
            Object d = Buffers.allocate(t, 1);
            if (n instanceof Double || n instanceof Float) Buffers.setDouble(t, d, 0, n.doubleValue());
            else Buffers.setLong(t, d, 0, n.longValue());
            return Tensor.wrap(t, Shape.scalar(), d);
        }
        if (!array.getClass().isArray()) {
            throw new IllegalArgumentException("tensor: expected an array or a number, got " + array.getClass().getSimpleName());
        }
        List<Integer> dims = new ArrayList<>();
        Class<?> c = array.getClass();
        Object probe = array;
        while (c.isArray()) {
            int len = Array.getLength(probe);
            dims.add(len);
            c = c.getComponentType();
            if (c.isArray()) {
                if (len == 0) throw new IllegalArgumentException("tensor: cannot infer the shape of an empty nested array");
                probe = Array.get(probe, 0);
            }
        }
        if (!c.isPrimitive()) throw new IllegalArgumentException("tensor: expected an array of primitives, got " + array.getClass().getSimpleName());
        DType natural = inferPrimitive(c);
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        Shape s = Shape.of(shape);
        Object d = Buffers.allocate(natural, s.size());
        int[] pos = {0};
        flatten(array, 0, shape, natural, d, pos, c);
        Tensor t = Tensor.wrap(natural, s, d);
        return requested == null ? t : t.asType(requested);
    }

    private static void flatten(Object a, int depth, int[] shape, DType t, Object out, int[] pos, Class<?> leaf) {
        int len = Array.getLength(a);
        if (len != shape[depth]) {
            throw new IllegalArgumentException("tensor: ragged nested array, expected " + shape[depth] + " elements at depth " + depth + " but found " + len);
        }
        if (depth == shape.length - 1) {
            if (leaf == boolean.class) {
                boolean[] b = (boolean[]) a;
                for (boolean v : b) ((byte[]) out)[pos[0]++] = (byte) (v ? 1 : 0);
            } else {
                System.arraycopy(a, 0, out, pos[0], len);
                pos[0] += len;
            }
            return;
        }
        for (int i = 0; i < len; i++) flatten(Array.get(a, i), depth + 1, shape, t, out, pos, leaf);
    }

    private static DType inferPrimitive(Class<?> c) {
        if (c == float.class) return DType.F32;
        if (c == double.class) return DType.F64;
        if (c == int.class) return DType.S32;
        if (c == long.class) return DType.S64;
        if (c == short.class) return DType.S16;
        if (c == byte.class) return DType.S8;
        if (c == boolean.class) return DType.U8;
        throw new IllegalArgumentException("tensor: unsupported element type " + c);
    }

    private static DType inferScalar(Number n) {
        if (n instanceof Float) return DType.F32;
        if (n instanceof Double) return DType.F64;
        if (n instanceof Long) return DType.S64;
        if (n instanceof Short) return DType.S16;
        if (n instanceof Byte) return DType.S8;
        return DType.S32;
    }

    /** Nested array of the natural Java element class: byte for s8, short for u8/s16, int for u16/s32, long for u32/s64/u64, float, double. */
    static Object fromTensor(Tensor t) {
        DType ty = t.dtype();
        Class<?> leaf = switch (ty) {
            case S8 -> byte.class;
            case U8, S16 -> short.class;
            case U16, S32 -> int.class;
            case U32, S64, U64 -> long.class;
            case F16, BF16, F32 -> float.class;
            case F64 -> double.class;
        };
        int[] dims = t.dims();
        if (dims.length == 0) {
            return switch (ty) {
                case F64 -> t.getFlat(0);
                case F16, BF16, F32 -> (float) t.getFlat(0);
                default -> t.getFlatLong(0);
            };
        }
        Object arr = Array.newInstance(leaf, dims);
        int[] pos = {0};
        fill(arr, 0, dims, t, leaf, pos);
        return arr;
    }

    private static void fill(Object arr, int depth, int[] dims, Tensor t, Class<?> leaf, int[] pos) {
        if (depth == dims.length - 1) {
            for (int i = 0; i < dims[depth]; i++) {
                int f = pos[0]++;
                if (leaf == float.class) Array.setFloat(arr, i, (float) t.getFlat(f));
                else if (leaf == double.class) Array.setDouble(arr, i, t.getFlat(f));
                else if (leaf == byte.class) Array.setByte(arr, i, (byte) t.getFlatLong(f));
                else if (leaf == short.class) Array.setShort(arr, i, (short) t.getFlatLong(f));
                else if (leaf == int.class) Array.setInt(arr, i, (int) t.getFlatLong(f));
                else Array.setLong(arr, i, t.getFlatLong(f));
            }
            return;
        }
        for (int i = 0; i < dims[depth]; i++) fill(Array.get(arr, i), depth + 1, dims, t, leaf, pos);
    }
}
