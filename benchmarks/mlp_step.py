"""One MomentumSGD training step of an MLP 784-1000-1000-10 (batch 100) against its GEMM floor.

The floor is the same eight matrix products (three forward, three weight gradients, two input
gradients) done in raw numpy on prepared buffers. Where PyTorch is importable, the same step in
PyTorch eager mode is timed too, with the same number of threads.

    python benchmarks/mlp_step.py [--repeat 30] [--threads 1]
"""
import argparse
import os
import statistics
import sys
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=30)
    parser.add_argument('--threads', type=int, default=1,
                        help='BLAS threads (set before numpy is imported)')
    args = parser.parse_args(argv)
    for var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
        os.environ[var] = str(args.threads)
    import numpy

    import dchain
    import dchain.functions as F
    import dchain.links as L

    rng = numpy.random.RandomState(0)
    x = rng.rand(100, 784).astype(numpy.float32)
    t = rng.randint(0, 10, 100).astype(numpy.int32)
    model = dchain.Sequential(L.Linear(784, 1000), F.relu, L.Linear(1000, 1000), F.relu,
                              L.Linear(1000, 10))
    optimizer = dchain.optimizers.MomentumSGD(lr=0.01)
    optimizer.setup(model)

    def dchain_step():
        optimizer.update(lambda: F.softmax_cross_entropy(model(x), t))

    W1, W2, W3 = (rng.randn(*s).astype(numpy.float32) for s in
                  ((1000, 784), (1000, 1000), (10, 1000)))
    h1 = numpy.empty((100, 1000), numpy.float32)
    h2 = numpy.empty((100, 1000), numpy.float32)
    y = numpy.empty((100, 10), numpy.float32)
    gy = rng.randn(100, 10).astype(numpy.float32)
    g2 = numpy.empty((100, 1000), numpy.float32)
    g1 = numpy.empty((100, 1000), numpy.float32)
    gW1, gW2, gW3 = (numpy.empty_like(w) for w in (W1, W2, W3))

    def gemm_floor():
        numpy.dot(x, W1.T, out=h1)
        numpy.dot(h1, W2.T, out=h2)
        numpy.dot(h2, W3.T, out=y)
        numpy.dot(gy.T, h2, out=gW3)
        numpy.dot(gy, W3, out=g2)
        numpy.dot(g2.T, h1, out=gW2)
        numpy.dot(g2, W2, out=g1)
        numpy.dot(g1.T, x, out=gW1)

    cases = {'dchain': dchain_step, 'floor': gemm_floor}
    try:
        import torch
        torch.set_num_threads(args.threads)
        tmodel = torch.nn.Sequential(torch.nn.Linear(784, 1000), torch.nn.ReLU(),
                                     torch.nn.Linear(1000, 1000), torch.nn.ReLU(),
                                     torch.nn.Linear(1000, 10))
        topt = torch.optim.SGD(tmodel.parameters(), lr=0.01, momentum=0.9)
        tx, tt = torch.from_numpy(x), torch.from_numpy(t.astype(numpy.int64))

        def torch_step():
            topt.zero_grad()
            torch.nn.functional.cross_entropy(tmodel(tx), tt).backward()
            topt.step()
        cases['torch'] = torch_step
    except ImportError:
        pass

    for fn in cases.values():
        for _ in range(3):
            fn()
    times = {name: [] for name in cases}
    for _ in range(args.repeat):
        for name, fn in cases.items():  # interleaved, so load drift hits all alike
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    med = {name: statistics.median(v) * 1e3 for name, v in times.items()}
    print('MLP 784-1000-1000-10, batch 100, MomentumSGD step, {} BLAS thread(s)'.format(
        args.threads))
    print('  GEMM floor (raw numpy)  {:8.2f} ms'.format(med['floor']))
    print('  dchain step             {:8.2f} ms   ratio to floor {:.2f}x'.format(
        med['dchain'], med['dchain'] / med['floor']))
    if 'torch' in med:
        print('  PyTorch eager step      {:8.2f} ms   dchain / PyTorch {:.2f}x'.format(
            med['torch'], med['dchain'] / med['torch']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
