"""The ``naive`` communicator: one MPI allreduce per parameter (simple; for comparison)."""
from dchain.distributed.communicators import _model
from dchain.distributed.communicators.mpi_communicator_base import MpiCommunicatorBase
from dchain.distributed.communicators.mpi_communicator_base import _host
from dchain.distributed.communicators.single_process_communicator import \
    SingleProcessCommunicator


class NaiveCommunicator(MpiCommunicatorBase):
    """MPI communicator that averages each gradient with its own allreduce."""

    def __init__(self, mpi_comm, timeout=None):
        super().__init__(mpi_comm, timeout)
        self._checked = None

    def multi_node_mean_grad(self, model, zero_fill=False):
        if self.size == 1:  # the mean over one process is the gradient itself
            return SingleProcessCommunicator.multi_node_mean_grad(self, model, zero_fill)
        signature = _model.param_signature(model)
        if signature != self._checked:
            _model.check_same_params(self, model)
            self._checked = signature
        if not zero_fill:
            self._check_grads_present(model)
        for _, param in sorted(model.namedparams(include_uninit=False)):
            grad = param.grad
            if grad is None:
                local = param.xp.zeros_like(param.array)
            else:
                local = grad
            # (Every rank's model was checked to match: no shape check per gradient.)
            self._enter('allreduce')
            total = self._allreduce_host(_host(local), local)
            if grad is not None or zero_fill:
                # (Division makes a 0-d array a scalar.)
                param.grad = param.xp.asarray(total / self.size).astype(param.dtype,
                                                                        copy=False)
