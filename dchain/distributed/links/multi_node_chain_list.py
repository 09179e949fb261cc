"""MultiNodeChainList: one model whose links live on different ranks, joined by send/recv."""
from dchain.distributed import functions
from dchain.link import ChainList


class MultiNodeChainList(ChainList):
    """Links placed on this rank, each told where its input comes from and output goes.

    ``add_link(link, rank_in=None, rank_out=None)``: the link takes its input from the
    arguments of ``forward`` (``rank_in=None``) or receives it from ``rank_in``; its output is
    the result of ``forward`` (``rank_out=None``) or is sent to ``rank_out``. Every rank calls
    ``forward`` and ``backward()`` on what it returns: the last rank gets the real output,
    the others a delegate variable whose backward exchanges the gradients.

    Args:
        comm: the communicator.
    """

    def __init__(self, comm):
        super().__init__()
        self._comm = comm
        self._routes = []

    def add_link(self, link, rank_in=None, rank_out=None):
        """Add ``link`` with its input source and output destination ranks (None: local)."""
        for name, rank in (('rank_in', rank_in), ('rank_out', rank_out)):
            ranks = rank if isinstance(rank, (list, tuple)) else [rank]
            for r in ranks:
                if r is not None and not 0 <= r < self._comm.size:
                    raise ValueError('{}={} is not a rank of this {}-process job'.format(
                        name, r, self._comm.size))
        super().add_link(link)
        self._routes.append((rank_in, rank_out))

    def forward(self, *inputs):
        y = None
        delegate = None
        # Messages between two ranks match in program order (MPI never reorders messages of
        # one tag between one pair), and every forward finishes before its backward starts.
        for link, (rank_in, rank_out) in zip(self._children, self._routes):
            if rank_in is None:
                x = inputs
            else:
                sources = rank_in if isinstance(rank_in, (list, tuple)) else [rank_in]
                x = []
                for source in sources:
                    received = functions.recv(self._comm, source, delegate_variable=delegate,
                                              force_tuple=True)
                    delegate = None
                    x.extend(received)
                x = tuple(x)
            y = link(*x)
            if rank_out is None:
                continue
            targets = rank_out if isinstance(rank_out, (list, tuple)) else [rank_out]
            for target in targets:
                sent = functions.send(y, self._comm, target)
                delegate = sent if delegate is None else functions.pseudo_connect(delegate, sent)
            y = None
        if y is not None:
            return y if delegate is None else functions.pseudo_connect(delegate, y)
        return delegate
