"""Scaled exponential linear unit (``F.selu``)."""
from dchain.functions.activation.elu import elu


def selu(x, alpha=1.6732632423543772848170429916717,
         scale=1.0507009873554804934193349852946):
    """Scaled ELU: ``scale * (x if x >= 0 else alpha * (exp(x) - 1))``.

    The default constants make activations self-normalizing (Klambauer et al., 2017).

    Args:
        x (Variable or array): floating input.
        alpha (float): scale of the negative part, inside.
        scale (float): overall scale.

    Returns:
        Variable: output of the same shape and dtype.
    """
    return elu(x, alpha) * scale
