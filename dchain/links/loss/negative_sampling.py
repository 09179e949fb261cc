"""Negative sampling output layer of word2vec (``L.NegativeSampling``)."""
import numpy

from dchain import initializers
from dchain import link
from dchain import variable
from dchain.config import get_dtype
from dchain.functions.loss.negative_sampling import negative_sampling
from dchain.links.loss._sampler import sampler_on_device_of
from dchain.utils.walker_alias import WalkerAlias


class NegativeSampling(link.Link):
    """Output word vectors trained with :func:`~dchain.functions.negative_sampling`.

    Negatives are drawn with probability proportional to ``counts ** power``.

    Args:
        in_size (int): dimension of the input vectors.
        counts (sequence of int): frequency of every word (its length is the vocabulary).
        sample_size (int): negatives per example.
        power (float): exponent flattening the word distribution.
        dtype: dtype of ``W`` (default: ``config.dtype``).

    Attributes:
        W (Parameter): output word vectors (vocabulary, in_size), initialised to zeros.
        sampler (WalkerAlias): the negative sampler.
    """

    def __init__(self, in_size, counts, sample_size, power=0.75, dtype=None):
        super().__init__()
        dtype = get_dtype(dtype)
        probs = numpy.power(numpy.asarray(counts, numpy.float64), power)
        self.sampler = WalkerAlias(probs)
        self.sample_size = sample_size
        self.power = power
        with self.init_scope():
            self.W = variable.Parameter(initializers.Zero(dtype), (len(probs), in_size))

    def forward(self, x, t, reduce='sum', return_samples=False):
        """Loss of ``x`` (N, in_size) against word ids ``t`` (N,); see F.negative_sampling."""
        sampler = sampler_on_device_of(self.sampler, self.W)
        return negative_sampling(x, t, self.W, sampler.sample, self.sample_size,
                                 reduce=reduce, return_samples=return_samples)
