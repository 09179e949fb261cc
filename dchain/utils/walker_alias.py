"""Walker's alias method: O(1) sampling from a fixed discrete distribution (``WalkerAlias``).

Used by the sampled-softmax losses (``L.NegativeSampling``, ``L.BlackOut``) to draw word ids in
proportion to (powers of) their counts.
"""
import numpy

from dchain import backend


class WalkerAlias:
    """Draws integers ``i`` with probability ``probs[i] / sum(probs)``.

    The table splits the unit interval of each of the ``n`` slots between the slot itself
    and one "alias"; a sample picks a slot uniformly and then one of its two owners by
    comparing a uniform number with the slot's threshold (Vose's construction).

    Args:
        probs (array-like): nonnegative weights, not necessarily normalised.

    Attributes:
        threshold (array): float, shape ``(n,)``: probability of keeping the slot's own index.
        values (array): int32, shape ``(n, 2)``: the slot's own index and its alias.
        use_gpu (bool): whether the tables (and the samples) live on the GPU.
    """

    def __init__(self, probs):
        probs = numpy.asarray(backend.cpu_device.send(getattr(probs, 'array', probs)),
                              numpy.float64).ravel()
        if probs.size == 0:
            raise ValueError('WalkerAlias: probs must not be empty')
        if numpy.any(probs < 0) or not numpy.all(numpy.isfinite(probs)):
            raise ValueError('WalkerAlias: probs must be finite and nonnegative')
        total = probs.sum()
        if total <= 0:
            raise ValueError('WalkerAlias: probs must not all be zero')
        n = probs.size
        scaled = probs * (n / total)
        threshold = numpy.ones(n)
        alias = numpy.arange(n)
        small = [i for i in range(n) if scaled[i] < 1.0]
        large = [i for i in range(n) if scaled[i] >= 1.0]
        # Each step settles one small slot by topping it up from a large one.
        while small and large:
            s = small.pop()
            g = large[-1]
            threshold[s] = scaled[s]
            alias[s] = g
            scaled[g] -= 1.0 - scaled[s]
            if scaled[g] < 1.0:
                large.pop()
                small.append(g)
        # Leftovers are 1 up to rounding: they keep their own index always.
        self.threshold = threshold
        self.values = numpy.stack([numpy.arange(n), alias], axis=1).astype(numpy.int32)
        self.use_gpu = False

    def to_gpu(self):
        """Move the tables to the current GPU; samples are then cupy arrays."""
        backend.check_cuda_available()
        cupy = backend._gpu.cupy
        self.threshold = cupy.asarray(self.threshold)
        self.values = cupy.asarray(self.values)
        self.use_gpu = True

    def to_cpu(self):
        """Move the tables to host memory."""
        self.threshold = backend.cpu_device.send(self.threshold)
        self.values = backend.cpu_device.send(self.values)
        self.use_gpu = False

    def to_device(self, device):
        device = backend.get_device(device)
        if device.xp is numpy:
            self.to_cpu()
        else:
            with device:
                self.to_gpu()

    def sample(self, shape):
        """Return an int32 array of ``shape`` drawn from the distribution."""
        xp = backend._gpu.cupy if self.use_gpu else numpy
        n = len(self.threshold)
        u = xp.random.uniform(0, n, shape)
        slot = xp.minimum(u.astype(numpy.int32), n - 1)
        use_alias = (u - slot) >= self.threshold[slot]
        return self.values[slot, use_alias.astype(numpy.int32)]
