"""ResNet-50 (L.ResNet50Layers, random weights) on one 3x224x224 image: forward and backward.

    python benchmarks/resnet50_forward.py [--repeat 3] [--batch 1]

Prints the median wall time of an inference forward pass (test mode, no graph), of a
training forward pass and of its backward pass, the network's multiply-adds (counted from
the convolution and linear layers' shapes), and the floor: the same number of multiply-adds
done by one large float32 GEMM on this machine (the speed BLAS reaches here).
"""
import argparse
import statistics
import time

import numpy

import dchain
import dchain.functions as F
import dchain.links as L


def count_macs(model, x):
    """Multiply-adds of the convolution and linear layers for input ``x``."""
    macs = []
    wrapped = []
    for link in model.links():
        if isinstance(link, (L.Convolution2D, L.Linear)):
            original = link.forward

            def counting(h, _link=link, _original=original):
                y = _original(h)
                weights_per_output = _link.W.size // _link.W.shape[0]
                macs.append(y.size * weights_per_output)
                return y

            link.forward = counting
            wrapped.append(link)
    try:
        with dchain.using_config('train', False), dchain.no_backprop_mode():
            model(x, layers=['fc6'])
    finally:
        for link in wrapped:
            del link.forward
    return sum(macs)


def gemm_rate():
    """Multiply-adds per second of a 2048^3 float32 matmul (best of 3)."""
    a = numpy.random.rand(2048, 2048).astype(numpy.float32)
    b = numpy.random.rand(2048, 2048).astype(numpy.float32)
    best = float('inf')
    for _ in range(3):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2048 ** 3 / best


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--batch', type=int, default=1)
    args = parser.parse_args(argv)

    numpy.random.seed(0)
    start = time.perf_counter()
    model = L.ResNet50Layers(pretrained_model=None)
    build = time.perf_counter() - start
    x = numpy.random.RandomState(1).randn(args.batch, 3, 224, 224).astype(numpy.float32)
    macs = count_macs(model, x)

    def inference():
        with dchain.using_config('train', False), dchain.no_backprop_mode():
            model(x, layers=['prob'])

    state = {}

    def train_forward():
        state['loss'] = F.sum(model(x, layers=['fc6'])['fc6'])

    def backward():
        model.cleargrads()
        state['loss'].backward()

    inference()  # warm-up (first-call allocations)
    t_inf = timed(inference, args.repeat)
    fwd, bwd = [], []
    for _ in range(args.repeat):
        fwd.append(timed(train_forward, 1))
        bwd.append(timed(backward, 1))
    t_fwd, t_bwd = statistics.median(fwd), statistics.median(bwd)
    rate = gemm_rate()
    floor = macs / rate

    print(f'ResNet-50, batch {args.batch} x 3x224x224, float32, numpy '
          f'{numpy.__version__}, median of {args.repeat}')
    print(f'  build (random weights)   {build:8.3f} s')
    print(f'  multiply-adds            {macs / 1e9:8.3f} G per forward')
    print(f'  GEMM floor (forward)     {floor:8.3f} s  ({rate / 1e9:.1f} G mult-add/s)')
    print(f'  inference forward        {t_inf:8.3f} s  ({t_inf / floor:.2f}x floor)')
    print(f'  training forward         {t_fwd:8.3f} s  ({t_fwd / floor:.2f}x floor)')
    print(f'  backward                 {t_bwd:8.3f} s  ({t_bwd / (2 * floor):.2f}x its floor, '
          f'2x forward multiply-adds)')
    print(f'  forward + backward       {t_fwd + t_bwd:8.3f} s')


if __name__ == '__main__':
    main()
