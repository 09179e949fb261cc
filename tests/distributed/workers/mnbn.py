"""MultiNodeBatchNormalization over P ranks equals BatchNormalization over the whole batch."""
import sys

import numpy

import dchain
import dchain.distributed as mn
import dchain.functions as F
import dchain.links as L


def main():
    comm = mn.create_communicator('flat')
    P = comm.size
    rng = numpy.random.RandomState(0)
    x_all = rng.randn(6 * P, 4, 3, 3).astype(numpy.float64)
    w_all = rng.randn(6 * P, 4, 3, 3).astype(numpy.float64)
    lo = 6 * comm.rank
    bn = mn.MultiNodeBatchNormalization(4, comm, dtype=numpy.float64)
    x = dchain.Variable(x_all[lo:lo + 6])
    y = bn(x)
    F.sum(y * w_all[lo:lo + 6]).backward()
    ys = comm.gather_obj((y.array, x.grad, bn.gamma.grad, bn.beta.grad, bn.avg_mean.copy(),
                          bn.avg_var.copy()))
    if comm.rank:
        return 0
    ref = L.BatchNormalization(4, dtype=numpy.float64)
    xr = dchain.Variable(x_all)
    yr = ref(xr)
    F.sum(yr * w_all).backward()
    y_cat = numpy.concatenate([r[0] for r in ys])
    gx_cat = numpy.concatenate([r[1] for r in ys])
    numpy.testing.assert_allclose(y_cat, yr.array, atol=1e-10)
    numpy.testing.assert_allclose(gx_cat, xr.grad, atol=1e-10)
    numpy.testing.assert_allclose(sum(r[2] for r in ys), ref.gamma.grad, atol=1e-10)
    numpy.testing.assert_allclose(sum(r[3] for r in ys), ref.beta.grad, atol=1e-10)
    for r in ys:
        numpy.testing.assert_allclose(r[4], ref.avg_mean, atol=1e-10)
        numpy.testing.assert_allclose(r[5], ref.avg_var, atol=1e-10)
    print('MNBN OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
