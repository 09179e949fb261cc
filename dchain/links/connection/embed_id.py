"""Embedding layer: a learned vector per integer id (``L.EmbedID``)."""
from dchain import initializers
from dchain import link
from dchain import variable
from dchain.functions.connection.embed_id import embed_id


class EmbedID(link.Link):
    """Embedding layer mapping ids in ``[0, in_size)`` to vectors of ``out_size``.

    Args:
        in_size (int): vocabulary size.
        out_size (int): embedding size.
        initialW: initializer, scalar or array for ``W`` (default: standard normal).
        ignore_label (int or None): id that maps to a zero vector.

    Attributes:
        W (Parameter): embedding matrix of shape ``(in_size, out_size)``.
    """

    ignore_label = None

    def __init__(self, in_size, out_size, initialW=None, ignore_label=None):
        super().__init__()
        self.ignore_label = ignore_label
        if initialW is None:
            initialW = initializers.Normal(1.0)
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW),
                                        (in_size, out_size))

    def printable_specs(self):
        yield 'in_size', self.W.shape[0]
        yield 'out_size', self.W.shape[1]
        yield 'ignore_label', self.ignore_label

    def forward(self, x):
        """Embed the integer ids ``x``; the result has shape ``x.shape + (out_size,)``."""
        return embed_id(x, self.W, ignore_label=self.ignore_label)
