"""Value classes written the way students write them: one correct, and typical mistakes.

``make_engine(mistake)`` returns a fresh class; ``mistake`` names one bug (or None).
"""

from __future__ import annotations

import math


def make_engine(mistake: str | None = None) -> type:
    class Value:
        def __init__(self, data, children=(), local_grads=()):
            self.data = float(data)
            self.grad = 0.0
            self._prev = children
            self._local = local_grads

        def __add__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            return Value(self.data + other.data, (self, other), (1.0, 1.0))

        def __mul__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            local = (other.data, self.data) if mistake != "mul_grad" else (self.data, other.data)
            return Value(self.data * other.data, (self, other), local)

        if mistake != "no_radd":
            __radd__ = __add__
        __rmul__ = __mul__

        def __pow__(self, k):
            return Value(self.data**k, (self,), (k * self.data ** (k - 1),))

        def relu(self):
            slope = 1.0 if (self.data > 0 or mistake == "relu_grad") else 0.0
            return Value(max(self.data, 0.0), (self,), (slope,))

        def tanh(self):
            t = math.tanh(self.data)
            return Value(t, (self,), (1 - t * t,))

        def exp(self):
            if mistake == "exp_raises":
                raise NotImplementedError()
            e = math.exp(self.data)
            return Value(e, (self,), (e,))

        def backward(self):
            if mistake == "no_topo":  # visits each node's inputs right after it: wrong order
                order, stack, seen = [], [self], set()
                while stack:
                    node = stack.pop(0)
                    if id(node) in seen:
                        continue
                    seen.add(id(node))
                    order.append(node)
                    stack.extend(node._prev)
                order.reverse()
            else:
                order, seen = [], set()

                def visit(node):
                    if id(node) not in seen:
                        seen.add(id(node))
                        for child in node._prev:
                            visit(child)
                        order.append(node)

                visit(self)
            for node in order:
                if node._prev:
                    node.grad = 0.0
            self.grad = 1.0 if mistake == "overwrite" else self.grad + 1.0
            for node in reversed(order):
                for child, local in zip(node._prev, node._local, strict=True):
                    if mistake == "overwrite":
                        child.grad = local * node.grad
                    else:
                        child.grad += local * node.grad

        def zero_grad(self):
            if mistake != "no_zero_grad":
                self.grad = 0.0

    return Value
