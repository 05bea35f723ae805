package dev.convolve.autograd;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/** Unary elementwise primitives and their derivatives. */
final class Unary {
    private Unary() {}

    static Variable abs(Variable a) {
        Tensor x = a.value();
        return Variable.record(x.abs(), (g, n) -> new Tensor[] {g.multiply(x.sign())}, a);
    }

    static Variable exp(Variable a) {
        Tensor out = a.value().exp();
        return Variable.record(out, (g, n) -> new Tensor[] {g.multiply(out)}, a);
    }

    static Variable log(Variable a) {
        Tensor x = a.value();
        return Variable.record(x.log(), (g, n) -> new Tensor[] {g.divide(x)}, a);
    }

    static Variable sqrt(Variable a) {
        Tensor out = a.value().sqrt();
        return Variable.record(out, (g, n) -> new Tensor[] {g.divide(out).multiply(0.5)}, a);
    }

    static Variable rsqrt(Variable a) {
        Tensor out = a.value().rsqrt();
        return Variable.record(out, (g, n) -> new Tensor[] {g.multiply(out.multiply(out).multiply(out)).multiply(-0.5)}, a);
    }

    static Variable tanh(Variable a) {
        Tensor out = a.value().tanh();
        return Variable.record(out, (g, n) -> new Tensor[] {g.multiply(Tensor.full(1.0, out.dtype()).subtract(out.multiply(out)))}, a);
    }

    static Variable sigmoid(Variable a) {
        Tensor out = a.value().sigmoid();
        return Variable.record(out, (g, n) -> new Tensor[] {g.multiply(out.multiply(Tensor.full(1.0, out.dtype()).subtract(out)))}, a);
    }

    static Variable erf(Variable a) {
        Tensor x = a.value();
        return Variable.record(x.erf(), (g, n) -> new Tensor[] {g.multiply(x.multiply(x).negate().exp().multiply(2 / Math.sqrt(Math.PI)))}, a);
    }

    static Variable sin(Variable a) {
        Tensor x = a.value();
        return Variable.record(x.sin(), (g, n) -> new Tensor[] {g.multiply(x.cos())}, a);
    }

    static Variable cos(Variable a) {
        Tensor x = a.value();
        return Variable.record(x.cos(), (g, n) -> new Tensor[] {g.multiply(x.sin()).negate()}, a);
    }

    static Variable clip(Variable a, double min, double max) {
        Tensor x = a.value();
        return Variable.record(x.clip(min, max), (g, n) -> {
            Tensor inside = x.greaterEqual(Tensor.full(min, x.dtype())).multiply(x.lessEqual(Tensor.full(max, x.dtype())));
            return new Tensor[] {g.multiply(inside.asType(g.dtype()))};
        }, a);
    }

    static Variable asType(Variable a, DType type) {
        if (!type.isFloat()) {
            throw new IllegalArgumentException("as_type: a differentiable conversion must go to a floating type, got " + type + " for " + a.value().describe());
        }
        DType from = a.dtype();
        if (from == type) return a;
        return Variable.record(a.value().asType(type), (g, n) -> new Tensor[] {g.asType(from)}, a);
    }
}
