"""Cost of the input pipeline relative to the training step it feeds.

SerialIterator (shuffled, batch 100) + concat_examples over MNIST-sized random data (60000
examples of 784 float32 features and an int32 label), timed against one training step of a
784-1000-1000-10 MLP (L.Linear, F.relu, softmax cross entropy, backward, hand-written SGD
update) on the same batch size. The bar: the pipeline costs under 5% of the step.

    python benchmarks/input_pipeline.py [--repeat 50]
"""
import argparse
import statistics
import sys
import time

import numpy

import dchain
import dchain.functions as F
import dchain.links as L
from dchain import datasets, iterators
from dchain.dataset import concat_examples

BATCH = 100
N_EXAMPLES = 60000
BAR = 0.05


def relu(x):
    if hasattr(F, 'relu'):
        return F.relu(x)
    # Without F.relu: max(x, 0) as x * mask, built from Variable ops (same cost order).
    return x * (x.array > 0).astype(x.dtype)


def loss_fn(y, t):
    if hasattr(F, 'softmax_cross_entropy'):
        return F.softmax_cross_entropy(y, t)
    return F.sum(y * y) / len(t)


class MLP(dchain.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(784, 1000)
            self.l2 = L.Linear(1000, 1000)
            self.l3 = L.Linear(1000, 10)

    def forward(self, x):
        return self.l3(relu(self.l2(relu(self.l1(x)))))


def train_step(model, x, t, lr=0.01):
    loss = loss_fn(model(x), t)
    model.cleargrads()
    loss.backward()
    for p in model.params():
        p.array -= lr * p.grad
    return loss


def median_seconds(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=50)
    args = parser.parse_args(argv)

    rng = numpy.random.RandomState(0)
    x_all = rng.rand(N_EXAMPLES, 784).astype(numpy.float32)
    t_all = rng.randint(0, 10, N_EXAMPLES).astype(numpy.int32)
    dataset = datasets.TupleDataset(x_all, t_all)
    it = iterators.SerialIterator(dataset, BATCH, shuffle=True)
    model = MLP()

    def pipeline():
        return concat_examples(it.next())

    x, t = pipeline()
    for _ in range(3):  # warm-up: lazy initialization, BLAS threads, caches
        pipeline()
        train_step(model, x, t)

    t_pipe = median_seconds(pipeline, args.repeat * 4)
    t_step = median_seconds(lambda: train_step(model, x, t), args.repeat)
    ratio = t_pipe / t_step
    print('relu: {}, loss: {}'.format('F.relu' if hasattr(F, 'relu') else 'Variable ops',
                                      'softmax_cross_entropy'
                                      if hasattr(F, 'softmax_cross_entropy') else 'sum of squares'))
    print('input pipeline (SerialIterator.next + concat_examples): {:8.3f} ms'.format(
        t_pipe * 1e3))
    print('MLP training step (784-1000-1000-10, batch {}):        {:8.3f} ms'.format(
        BATCH, t_step * 1e3))
    print('pipeline / step: {:.2%} (bar: under {:.0%}) -> {}'.format(
        ratio, BAR, 'OK' if ratio < BAR else 'OVER'))
    return 0 if ratio < BAR else 1


if __name__ == '__main__':
    sys.exit(main())
