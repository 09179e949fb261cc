"""Updater: the interface the Trainer drives (one ``update()`` per iteration)."""


class Updater:
    """Base class of updaters.

    An updater owns the iterators and optimizers, does one training step per ``update()``
    and reports progress through ``iteration``, ``epoch``, ``epoch_detail``,
    ``previous_epoch_detail`` and ``is_new_epoch``.
    """

    def connect_trainer(self, trainer):
        """Called by the Trainer that drives this updater."""

    def finalize(self):
        """Release resources (iterator workers) after training."""

    def get_optimizer(self, name):
        raise NotImplementedError

    def get_all_optimizers(self):
        raise NotImplementedError

    def update(self):
        raise NotImplementedError

    def serialize(self, serializer):
        raise NotImplementedError
