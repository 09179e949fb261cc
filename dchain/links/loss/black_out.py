"""BlackOut output layer (``L.BlackOut``)."""
import numpy

from dchain import initializers
from dchain import link
from dchain import variable
from dchain.functions.loss.black_out import black_out
from dchain.links.loss._sampler import sampler_on_device_of
from dchain.utils.walker_alias import WalkerAlias


class BlackOut(link.Link):
    """Output word vectors trained with :func:`~dchain.functions.black_out`.

    Negatives are drawn with probability proportional to ``counts``.

    Args:
        in_size (int): dimension of the input vectors.
        counts (sequence of int): frequency of every word (its length is the vocabulary).
        sample_size (int): negatives per example.

    Attributes:
        W (Parameter): output word vectors (vocabulary, in_size), LeCun-normal initialised.
        sample_data (array or None): when set, used as the negatives instead of sampling
            (for deterministic tests).
    """

    sample_data = None

    def __init__(self, in_size, counts, sample_size):
        super().__init__()
        self.sampler = WalkerAlias(numpy.asarray(counts, numpy.float64))
        self.sample_size = sample_size
        with self.init_scope():
            self.W = variable.Parameter(initializers.LeCunNormal(), (len(counts), in_size))

    def forward(self, x, t):
        """Mean BlackOut loss of ``x`` (N, in_size) against word ids ``t`` (N,)."""
        if self.sample_data is not None:
            samples = self.sample_data
        else:
            sampler = sampler_on_device_of(self.sampler, self.W)
            samples = sampler.sample((x.shape[0], self.sample_size))
        return black_out(x, t, self.W, samples)
