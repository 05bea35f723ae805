package dev.convolve.tensor;

/** Elementwise unary operations. Those marked {@code keepsType} work on integers too; the rest make floats. */
enum UnaryOp {
    NEGATE(true), ABS(true), SIGN(true), FLOOR(true), CEIL(true), ROUND(true),
    EXP(false), LOG(false), SQRT(false), RSQRT(false), TANH(false), SIGMOID(false), ERF(false), SIN(false), COS(false);

    final boolean keepsType;

    UnaryOp(boolean keepsType) { this.keepsType = keepsType; }

    DType resultType(DType in) { return keepsType ? in : in.toFloating(); }

    double apply(double x) {
        return switch (this) {
            case NEGATE -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Double.isNaN(x) || Double.isInfinite(x) ? x : Math.signum(x) * Math.floor(Math.abs(x) + 0.5);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case ERF -> Erf.erf(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
        };
    }

    long apply(long x, boolean unsigned) {
        return switch (this) {
            case NEGATE -> -x;
            case ABS -> unsigned ? x : Math.abs(x);
            case SIGN -> unsigned ? (x == 0 ? 0 : 1) : Long.signum(x);
            case FLOOR, CEIL, ROUND -> x;
            default -> throw new IllegalStateException(this + " makes floats");
        };
    }
}
