package dev.convolve.tensor;

/** Elementwise binary operations with their Nx result-type rules. */
enum BinaryOp {
    ADD("add"), SUBTRACT("subtract"), MULTIPLY("multiply"), DIVIDE("divide"), QUOTIENT("quotient"),
    REMAINDER("remainder"), POW("pow"), MAX("max"), MIN("min"),
    EQUAL("equal"), NOT_EQUAL("not_equal"), GREATER("greater"), GREATER_EQUAL("greater_equal"),
    LESS("less"), LESS_EQUAL("less_equal");

    final String nxName;

    BinaryOp(String nxName) { this.nxName = nxName; }

    boolean isComparison() { return ordinal() >= EQUAL.ordinal(); }

    /** Type the operation computes in, given the merged operand type. */
    DType computeType(DType merged) {
        return this == DIVIDE ? merged.toFloating() : merged;
    }

    DType resultType(DType merged) {
        if (isComparison()) return DType.U8;
        return computeType(merged);
    }

    double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUBTRACT -> a - b;
            case MULTIPLY -> a * b;
            case DIVIDE -> a / b;
            case QUOTIENT -> b == 0 ? Double.NaN : (double) (long) (a / b);
            case REMAINDER -> a % b;
            case POW -> Math.pow(a, b);
            case MAX -> (Double.isNaN(a) || Double.isNaN(b)) ? Double.NaN : Math.max(a, b);
            case MIN -> (Double.isNaN(a) || Double.isNaN(b)) ? Double.NaN : Math.min(a, b);
            case EQUAL -> a == b ? 1 : 0;
            case NOT_EQUAL -> a != b ? 1 : 0;
            case GREATER -> a > b ? 1 : 0;
            case GREATER_EQUAL -> a >= b ? 1 : 0;
            case LESS -> a < b ? 1 : 0;
            case LESS_EQUAL -> a <= b ? 1 : 0;
        };
    }

    /** Integer arithmetic in 64 bits; the caller wraps the result into the result type. Division by zero follows XLA. */
    long apply(long a, long b, boolean unsigned) {
        return switch (this) {
            case ADD -> a + b;
            case SUBTRACT -> a - b;
            case MULTIPLY -> a * b;
            case QUOTIENT -> b == 0 ? -1 : (unsigned ? Long.divideUnsigned(a, b) : a / b);
            case REMAINDER -> b == 0 ? a : (unsigned ? Long.remainderUnsigned(a, b) : a % b);
            case POW -> ipow(a, b);
            case MAX -> (unsigned ? Long.compareUnsigned(a, b) >= 0 : a >= b) ? a : b;
            case MIN -> (unsigned ? Long.compareUnsigned(a, b) <= 0 : a <= b) ? a : b;
            case EQUAL -> a == b ? 1 : 0;
            case NOT_EQUAL -> a != b ? 1 : 0;
            case GREATER -> (unsigned ? Long.compareUnsigned(a, b) > 0 : a > b) ? 1 : 0;
            case GREATER_EQUAL -> (unsigned ? Long.compareUnsigned(a, b) >= 0 : a >= b) ? 1 : 0;
            case LESS -> (unsigned ? Long.compareUnsigned(a, b) < 0 : a < b) ? 1 : 0;
            case LESS_EQUAL -> (unsigned ? Long.compareUnsigned(a, b) <= 0 : a <= b) ? 1 : 0;
            case DIVIDE -> throw new IllegalStateException("divide is computed in floating point");
        };
    }

    private static long ipow(long base, long exp) {
        if (exp < 0) return base == 1 ? 1 : (base == -1 ? ((exp & 1) == 0 ? 1 : -1) : 0);
        long r = 1;
        long b = base;
        long e = exp;
        while (e > 0) {
            if ((e & 1) != 0) r *= b;
            b *= b;
            e >>= 1;
        }
        return r;
    }
}
