"""Keeping a link's WalkerAlias sampler on the device of the link's parameters."""
from dchain import backend


def sampler_on_device_of(sampler, param):
    """Move ``sampler`` next to ``param``'s array if they are apart.

    A parent Chain moves its children's parameters without calling their ``to_device``, so
    the sampler follows the parameter lazily here instead.
    """
    on_gpu = backend.get_array_module(param.array) is not backend.get_array_module(
        sampler.threshold)
    if on_gpu:
        sampler.to_device(param.device)
    return sampler
