#!/usr/bin/env python3
"""Writes a seeded corpus of model-style math snippets as JSONL ({"id", "code", "kind"} a line).

    make_corpus.py realistic N SEED > corpus.jsonl   # the mix below
    make_corpus.py trivial N > corpus.jsonl          # print(2 + 3): per-snippet overhead only

The realistic mix follows what a model writes when it translates a math text into Python: about
a third plain arithmetic and `math`, some fractions/decimal, a third sympy (solve, simplify,
integrate, Matrix), some numpy linear algebra, and a few that raise.
"""
import json
import random
import sys


def arithmetic(r):
    a, b, c = r.randint(2, 999), r.randint(2, 999), r.randint(1, 99)
    return r.choice([
        f"a = {a}\nb = {b}\nresult = a * b + {c}\nprint(result)",
        f"total = sum(range(1, {a} + 1))\nprint(total)",
        f"import math\nprint(math.comb({a % 60 + 5}, {c % 5 + 1}))",
        f"import math\nr = {c}\narea = math.pi * r ** 2\nprint(round(area, 2))",
        f"import math\nprint(math.sqrt({a * a}))",
        f"print({a} ** {c % 40 + 10})",
        f"import math\nprint(math.gcd({a}, {b}), math.lcm({a}, {b}))",
        f"price = {a}\ndiscount = {c % 50} / 100\nprint(f'The final price is {{price * (1 - discount):.2f}}')",
        f"import math\nprint(round(math.log({a}, {c % 8 + 2}), 4))",
        f"speed = {a}\ntime = {c}\ndistance = speed * time\nprint(distance)",
    ])


def fractions_decimal(r):
    a, b, c, d = (r.randint(1, 40) for _ in range(4))
    return r.choice([
        f"from fractions import Fraction\nprint(Fraction({a}, {b}) + Fraction({c}, {d}))",
        f"from fractions import Fraction\nx = Fraction({a}, {b}) * Fraction({c}, {d})\nprint(x)",
        f"from decimal import Decimal, getcontext\ngetcontext().prec = 20\nprint(Decimal({a}) / Decimal({b + 1}))",
        f"from decimal import Decimal\nprint(Decimal('{a}.{c:02d}') * {b})",
    ])


def sympy_snippet(r):
    a, b, k = r.randint(1, 9), r.randint(1, 9), r.randint(1, 4)
    return r.choice([
        f"from sympy import symbols, solve\nx = symbols('x')\nprint(solve(x**2 - {a + b}*x + {a * b}, x))",
        f"import sympy as sp\nx = sp.symbols('x')\nprint(sp.integrate(x**{k} * sp.sin(x), x))",
        f"import sympy as sp\nx = sp.symbols('x')\nprint(sp.integrate(x**{k}, (x, 0, {a})))",
        f"from sympy import Matrix\nM = Matrix([[{a}, {b}], [{k}, {a + b}]])\nprint(M.det())\nprint(M.inv())",
        f"import sympy as sp\nx = sp.Symbol('x')\nprint(sp.simplify((x**2 - {a * a}) / (x - {a})))",
        f"import sympy as sp\nx = sp.symbols('x')\nprint(sp.diff(sp.exp({a}*x) * sp.cos(x), x))",
        f"import sympy as sp\nx = sp.symbols('x')\nprint(sp.limit(sp.sin({a}*x) / x, x, 0))",
        f"import sympy as sp\nx, y = sp.symbols('x y')\nprint(sp.factor(x**2 - {b * b}*y**2))",
        f"from sympy import symbols, expand\nx = symbols('x')\nprint(expand((x + {a})**{k + 1}))",
        f"from sympy import Rational, sqrt\nprint(Rational({a}, {b + 1}) + sqrt({a * a}))",
        f"import sympy as sp\nn = sp.symbols('n')\nprint(sp.summation(n**{k}, (n, 1, {a * 10})))",
    ])


def numpy_snippet(r):
    m = [[r.randint(-9, 9) for _ in range(3)] for _ in range(3)]
    m[0][0] += 20  # keeps the matrix invertible in practice
    v = [r.randint(-9, 9) for _ in range(3)]
    return r.choice([
        f"import numpy as np\nA = np.array({m})\nprint(round(np.linalg.det(A), 6))",
        f"import numpy as np\nA = np.array({m}, dtype=float)\nb = np.array({v})\nprint(np.round(np.linalg.solve(A, b), 6))",
        f"import numpy as np\ndata = np.array({v + [x + 1 for x in v]})\nprint(data.mean(), round(data.std(), 6))",
        f"import numpy as np\nA = np.array({m})\nprint(A @ A)",
    ])


def raises(r):
    return r.choice([
        f"x = {r.randint(1, 99)} / 0\nprint(x)",
        "import math\nprint(math.sqrt(-1))",
        "print(undefined_total)",
        "from sympy import symbols\nx = symbols('x')\nprint(x + 'one')",
    ])


MIX = [(arithmetic, 30), (fractions_decimal, 8), (sympy_snippet, 35), (numpy_snippet, 22), (raises, 5)]


def main():
    kind = sys.argv[1] if len(sys.argv) > 1 else "realistic"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    makers = [m for m, w in MIX for _ in range(w)]
    for i in range(count):
        if kind == "trivial":
            maker, code = None, "print(2 + 3)"
        else:
            maker = rng.choice(makers)
            code = maker(rng)
        print(json.dumps({"id": i, "code": code, "kind": maker.__name__ if maker else "trivial"}))


if __name__ == "__main__":
    main()
