"""Per-operation overhead of the autograd engine.

A chain of 100 ``tanh`` and 100 multiplications by a scalar on a 10x10 float32 array, forward
and backward, timed against the same arithmetic done in raw numpy (the floor: forward ops plus
the backward formulas). Prints microseconds per op for both and the overhead per op.

    python benchmarks/autograd_overhead.py [--repeat 200] [--type-check/--no-type-check]
"""
import argparse
import statistics
import sys
import time

import numpy

import dchain
import dchain.functions as F

N_PAIRS = 100
N_OPS = 2 * N_PAIRS


def dchain_step(x0):
    x = dchain.Variable(x0)
    h = x
    for _ in range(N_PAIRS):
        h = F.tanh(h)
        h = h * 0.9
    h.grad = numpy.ones_like(h.array)
    h.backward()
    return x.grad


def numpy_step(x0):
    ys = []
    h = x0
    for _ in range(N_PAIRS):
        h = numpy.tanh(h)
        ys.append(h)
        h = h * numpy.float32(0.9)
    g = numpy.ones_like(h)
    for y in reversed(ys):
        g = g * numpy.float32(0.9)
        g = g * (1 - y * y)
    return g


def median_time(fn, arg, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=200)
    parser.add_argument('--no-type-check', action='store_true',
                        help='run with dchain.config.type_check = False')
    args = parser.parse_args(argv)
    dchain.config.type_check = not args.no_type_check

    x0 = numpy.random.RandomState(0).uniform(-1, 1, (10, 10)).astype(numpy.float32)
    numpy.testing.assert_allclose(dchain_step(x0), numpy_step(x0), rtol=1e-5, atol=1e-6)
    for _ in range(20):  # warm-up
        dchain_step(x0)
        numpy_step(x0)
    t_dchain = median_time(dchain_step, x0, args.repeat)
    t_numpy = median_time(numpy_step, x0, args.repeat)
    us_dchain = t_dchain / N_OPS * 1e6
    us_numpy = t_numpy / N_OPS * 1e6
    print('autograd overhead: {} ops (100 tanh + 100 scalar mul) on 10x10 float32, '
          'forward+backward, type_check={}'.format(N_OPS, dchain.config.type_check))
    print('  dchain     {:8.2f} us/op'.format(us_dchain))
    print('  raw numpy  {:8.2f} us/op (floor)'.format(us_numpy))
    print('  overhead   {:8.2f} us/op   ratio {:.2f}x'.format(us_dchain - us_numpy,
                                                            t_dchain / t_numpy))
    return 0


if __name__ == '__main__':
    sys.exit(main())
