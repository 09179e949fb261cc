"""Embedding lookup: rows of a matrix picked by integer ids (``F.embed_id``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


def _check_ids(x, n_vocab, ignore_label):
    """Raise ValueError for ids outside ``[0, n_vocab)`` (other than ``ignore_label``)."""
    xp = utils.get_xp(x)
    bad = (x < 0) | (x >= n_vocab)
    if ignore_label is not None:
        bad &= x != ignore_label
    if bool(xp.any(bad)):
        raise ValueError('embed_id: ids must lie in [0, {}) (or equal ignore_label={}); got '
                         'values from {} to {}'.format(n_vocab, ignore_label, int(x.min()),
                                                       int(x.max())))


class EmbedIDFunction(function_node.FunctionNode):
    """``W[x]``, with zero rows where ``x == ignore_label``."""

    def __init__(self, ignore_label=None):
        self.ignore_label = ignore_label

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() == 2)
        type_check.argname(in_types, ('x', 'W'))
        x_type, w_type = in_types
        type_check.expect(x_type.dtype.kind == 'i', w_type.dtype.kind == 'f',
                          w_type.ndim == 2)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, W = inputs
        self._w_shape = W.shape
        xp = utils.get_xp(x)
        if xp.__name__ == 'numpy':
            _check_ids(x, len(W), self.ignore_label)
        if self.ignore_label is None:
            return W.take(x, axis=0),
        mask = x == self.ignore_label
        y = W.take(xp.where(mask, 0, x), axis=0)
        y[mask] = 0
        return y,

    def backward(self, indexes, grad_outputs):
        x = self.inputs[0].data
        return None, EmbedIDGrad(self._w_shape, self.ignore_label).apply(
            (x, grad_outputs[0]))[0]


class EmbedIDGrad(function_node.FunctionNode):
    """Scatter-add of ``gy`` rows into a zero matrix of W's shape (the gradient of W)."""

    def __init__(self, w_shape, ignore_label=None):
        self.w_shape = w_shape
        self.ignore_label = ignore_label

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, gy = inputs
        xp = utils.get_xp(x)
        gW = xp.zeros(self.w_shape, dtype=gy.dtype)
        ids = x.ravel()
        rows = gy.reshape(ids.size, self.w_shape[1])
        if self.ignore_label is not None:
            keep = ids != self.ignore_label
            ids, rows = ids[keep], rows[keep]
        xp.add.at(gW, ids, rows)
        return gW,

    def backward(self, indexes, grad_outputs):
        x = self.inputs[0].data
        # The map gy -> gW is linear; its transpose is the lookup itself.
        return None, EmbedIDFunction(self.ignore_label).apply((x, grad_outputs[0]))[0]


def embed_id(x, W, ignore_label=None):
    """Look up embeddings: ``y[..., :] = W[x[...]]``.

    Args:
        x (Variable or array): integer ids of any shape, each in ``[0, len(W))``.
        W (Variable or array): embedding matrix of shape ``(n_vocab, n_units)``.
        ignore_label (int or None): ids equal to it give zero vectors (and no gradient).

    Returns:
        Variable: of shape ``x.shape + (n_units,)``.
    """
    return EmbedIDFunction(ignore_label).apply((x, W))[0]
