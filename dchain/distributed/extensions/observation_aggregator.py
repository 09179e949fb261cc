"""ObservationAggregator: average an observed value over ranks (e.g. the training loss)."""
import numpy

from dchain.training import extension
from dchain.variable import Variable


class ObservationAggregator(extension.Extension):
    """Replace (or add) ``aggregated_key`` with the mean over ranks of ``original_key``.

    Args:
        comm: the communicator.
        original_key (str): observation key to aggregate (e.g. ``'main/loss'``).
        aggregated_key (str): where to store the result (default: ``original_key``).
        comm_trigger: how often to communicate (values in between are averaged locally).
        aggregator: function from the list of per-rank values to the result (default mean).
    """

    trigger = 1, 'iteration'
    priority = extension.PRIORITY_EDITOR

    def __init__(self, comm, original_key, aggregated_key=None, comm_trigger=(1, 'iteration'),
                 aggregator=None):
        from dchain.training import trigger as trigger_module
        self.comm = comm
        self.original_key = original_key
        self.aggregated_key = aggregated_key or original_key
        self.comm_trigger = trigger_module.get_trigger(comm_trigger)
        self.aggregator = aggregator or (lambda values: sum(values) / len(values))
        self._pending = []

    def __call__(self, trainer):
        observation = trainer.observation
        if self.original_key in observation:
            value = observation[self.original_key]
            value = value.array if isinstance(value, Variable) else value
            self._pending.append(float(numpy.asarray(value)))
        if not self.comm_trigger(trainer):
            return
        local = sum(self._pending) / len(self._pending) if self._pending else None
        self._pending = []
        values = [v for v in self.comm.allgather_obj(local) if v is not None]
        if values:
            observation[self.aggregated_key] = self.aggregator(values)
