"""One training step of a small ConvNet on the CPU, against its GEMM floor (and PyTorch).

Model: conv3x3 1->32 pad 1, relu, max-pool 2, conv3x3 32->64 pad 1, relu, max-pool 2,
linear 3136->10, softmax cross entropy; batch 64 of 28x28 images; one SGD update done by
hand on the parameters. The step (forward + backward + update) is timed as a median over
repeats, alternating with the floor (as mlp_step does) so that both see the same machine
load and cache pressure. The floor is the same GEMMs in raw numpy on prepared buffers: the
im2col GEMM of both convolutions forward, their weight-gradient GEMMs, the input-gradient
GEMM of the second convolution (the first one's input needs no gradient), and the linear
layer's three GEMMs. If torch is importable, the same model runs in PyTorch (CPU eager, same
thread count), timed on its own afterwards.

    python benchmarks/convnet_step.py [--repeat 30]

Importing dchain sets its allocator policy (``dchain/_allocator.py``: freed blocks stay in
the heap, so fresh multi-megabyte arrays do not page-fault every step); it applies to the
whole process, dchain, the floor and torch alike. ``DCHAIN_KEEP_FREED_MEMORY=0`` turns it off.
"""
import argparse
import os
import statistics
import sys
import time

import numpy

import dchain
import dchain.functions as F
import dchain.links as L

BATCH = 64
LR = 0.01


class ConvNet(dchain.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(1, 32, 3, pad=1)
            self.conv2 = L.Convolution2D(32, 64, 3, pad=1)
            self.fc = L.Linear(3136, 10)

    def forward(self, x):
        h = F.max_pooling_2d(F.relu(self.conv1(x)), 2)
        h = F.max_pooling_2d(F.relu(self.conv2(h)), 2)
        return self.fc(h)


def _loss(logits, t):
    sce = getattr(F, 'softmax_cross_entropy', None)
    if sce is not None:
        return sce(logits, t)
    # log-sum-exp from Variable ops, with the row maximum as a constant shift.
    shift = logits.array.max(axis=1, keepdims=True)
    z = logits - shift
    lse = F.log(F.sum(F.exp(z), axis=1))
    picked = F.get_item(z, (numpy.arange(len(t)), t))
    return F.sum(lse - picked) / len(t)


def dchain_step(model, x, t):
    loss = _loss(model(x), t)
    model.cleargrads()
    loss.backward()
    for param in model.params():
        param.array -= LR * param.grad
    return loss


def gemm_floor(rng):
    """The step's GEMMs in raw numpy on prepared buffers (a closure to time)."""
    f32 = numpy.float32
    col1 = rng.standard_normal((9, BATCH * 28 * 28)).astype(f32)
    w1 = rng.standard_normal((32, 9)).astype(f32)
    gy1 = rng.standard_normal((32, BATCH * 28 * 28)).astype(f32)
    col2 = rng.standard_normal((288, BATCH * 14 * 14)).astype(f32)
    w2 = rng.standard_normal((64, 288)).astype(f32)
    gy2 = rng.standard_normal((64, BATCH * 14 * 14)).astype(f32)
    h = rng.standard_normal((BATCH, 3136)).astype(f32)
    w3 = rng.standard_normal((10, 3136)).astype(f32)
    gy3 = rng.standard_normal((BATCH, 10)).astype(f32)

    def run():
        w1 @ col1              # conv1 forward
        w2 @ col2              # conv2 forward
        h @ w3.T               # linear forward
        gy3.T @ h              # linear weight gradient
        gy3 @ w3               # linear input gradient
        gy2 @ col2.T           # conv2 weight gradient
        w2.T @ gy2             # conv2 input-gradient columns
        gy1 @ col1.T           # conv1 weight gradient
    return run


def torch_step(x, t):
    """The same step in PyTorch (a closure to time), or None without torch."""
    try:
        import torch
    except (ImportError, OSError):  # absent, or a build whose native libraries are missing
        return None
    threads = os.environ.get('OMP_NUM_THREADS') or os.environ.get('OPENBLAS_NUM_THREADS')
    torch.set_num_threads(int(threads) if threads else os.cpu_count())
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 10))
    xt = torch.from_numpy(x)
    tt = torch.from_numpy(t.astype(numpy.int64))
    loss_fn = nn.CrossEntropyLoss()

    def step():
        loss = loss_fn(model(xt), tt)
        model.zero_grad(set_to_none=True)
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p.sub_(LR * p.grad)
    return step


def _interleaved_ms(cases, repeat, warmup=3):
    """Times in ms of ``repeat`` calls of each closure, one of each in turn, so that load
    drifting on a shared machine hits all alike."""
    for fn in cases.values():
        for _ in range(warmup):
            fn()
    times = {name: [] for name in cases}
    for _ in range(repeat):
        for name, fn in cases.items():
            t0 = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t0) * 1e3)
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=30)
    args = parser.parse_args(argv)

    rng = numpy.random.default_rng(0)
    x = rng.standard_normal((BATCH, 1, 28, 28)).astype(numpy.float32)
    t = rng.integers(0, 10, BATCH).astype(numpy.int32)
    model = ConvNet()
    first = float(dchain_step(model, x, t).array)
    if not numpy.isfinite(first):
        raise SystemExit('the loss is not finite: {}'.format(first))

    cases = {'dchain': lambda: dchain_step(model, x, t), 'floor': gemm_floor(rng)}
    times = _interleaved_ms(cases, 3 * args.repeat)
    step_ms, floor_ms = times['dchain'], times['floor']
    step, gemm = statistics.median(step_ms), statistics.median(floor_ms)
    print('convnet step: batch {} of 1x28x28, conv-relu-pool x2 + linear, forward+backward+'
          'update, float32{}'.format(BATCH, ', freed memory kept in the heap'
                                     if dchain._allocator.applied else ''))
    print('                 median      best')
    print('  dchain step  {:8.2f}  {:8.2f} ms'.format(step, min(step_ms)))
    print('  GEMM floor   {:8.2f}  {:8.2f} ms'.format(gemm, min(floor_ms)))
    print('  ratio        {:8.2f}  {:8.2f} x'.format(step / gemm, min(step_ms) / min(floor_ms)))
    torch_fn = torch_step(x, t)
    if torch_fn is None:
        print('  torch        not installed')
    else:
        # Timed on its own: its OpenMP threads spinning between calls would slow BLAS's.
        torch_ms = _interleaved_ms({'torch': torch_fn}, 3 * args.repeat)['torch']
        med, best = statistics.median(torch_ms), min(torch_ms)
        print('  torch step   {:8.2f} ms   dchain/torch {:.2f}x   (best {:.2f} ms, {:.2f}x)'
              .format(med, step / med, best, min(step_ms) / best))
    return 0


if __name__ == '__main__':
    sys.exit(main())
