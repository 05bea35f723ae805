package dev.convolve.autograd;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/** Binary elementwise primitives with broadcasting; each backward rule un-broadcasts through {@link Unbroadcast}. */
final class Elementwise {
    private Elementwise() {}

    static Variable add(Variable a, Variable b) {
        Tensor x = a.value(), y = b.value();
        return Variable.record(x.add(y), (g, needs) -> new Tensor[] {
                needs[0] ? Unbroadcast.to(g, x.shape()) : null,
                needs[1] ? Unbroadcast.to(g, y.shape()) : null}, a, b);
    }

    static Variable subtract(Variable a, Variable b) {
        Tensor x = a.value(), y = b.value();
        return Variable.record(x.subtract(y), (g, needs) -> new Tensor[] {
                needs[0] ? Unbroadcast.to(g, x.shape()) : null,
                needs[1] ? Unbroadcast.to(g.negate(), y.shape()) : null}, a, b);
    }

    static Variable multiply(Variable a, Variable b) {
        Tensor x = a.value(), y = b.value();
        return Variable.record(x.multiply(y), (g, needs) -> new Tensor[] {
                needs[0] ? Unbroadcast.to(g.multiply(y), x.shape()) : null,
                needs[1] ? Unbroadcast.to(g.multiply(x), y.shape()) : null}, a, b);
    }

    static Variable divide(Variable a, Variable b) {
        Tensor x = a.value(), y = b.value();
        Tensor out = x.divide(y);
        return Variable.record(out, (g, needs) -> new Tensor[] {
                needs[0] ? Unbroadcast.to(g.divide(y), x.shape()) : null,
                needs[1] ? Unbroadcast.to(g.multiply(out).divide(y).negate(), y.shape()) : null}, a, b);
    }

    static Variable pow(Variable a, Variable b) {
        Tensor x = a.value(), y = b.value();
        Tensor out = x.pow(y);
        return Variable.record(out, (g, needs) -> new Tensor[] {
                needs[0] ? Unbroadcast.to(g.multiply(y).multiply(x.pow(y.subtract(1.0))), x.shape()) : null,
                needs[1] ? Unbroadcast.to(g.multiply(out).multiply(x.log()), y.shape()) : null}, a, b);
    }

    static Variable maximum(Variable a, Variable b) { return extreme(a, b, true); }

    static Variable minimum(Variable a, Variable b) { return extreme(a, b, false); }

    /** max/min: the gradient goes to the winner, split in half on ties. */
    private static Variable extreme(Variable a, Variable b, boolean max) {
        Tensor x = a.value(), y = b.value();
        Tensor out = max ? x.maximum(y) : x.minimum(y);
        return Variable.record(out, (g, needs) -> {
            DType t = g.dtype();
            Tensor wins = (max ? x.greater(y) : x.less(y)).asType(t);
            Tensor ties = x.equal(y).asType(t).multiply(0.5);
            Tensor wa = wins.add(ties);
            Tensor wb = Tensor.full(1.0, t).subtract(wa);
            return new Tensor[] {
                    needs[0] ? Unbroadcast.to(g.multiply(wa), x.shape()) : null,
                    needs[1] ? Unbroadcast.to(g.multiply(wb), y.shape()) : null};
        }, a, b);
    }

    static Variable addScalar(Variable a, double c) {
        return Variable.record(a.value().add(c), (g, needs) -> new Tensor[] {g}, a);
    }

    static Variable scale(Variable a, double c) {
        return Variable.record(a.value().multiply(c), (g, needs) -> new Tensor[] {g.multiply(c)}, a);
    }

    static Variable powScalar(Variable a, double p) {
        Tensor x = a.value();
        Tensor out = p == 2.0 ? x.multiply(x) : x.pow(p);
        return Variable.record(out, (g, needs) -> new Tensor[] {
                p == 2.0 ? g.multiply(x).multiply(2.0) : g.multiply(x.pow(p - 1).multiply(p))}, a);
    }
}
