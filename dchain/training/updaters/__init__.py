"""Updaters: how one training iteration is done."""
from dchain.training.updaters.standard_updater import StandardUpdater  # noqa: F401
from dchain.training.updaters.parallel_updater import ParallelUpdater  # noqa: F401
from dchain.training.updaters.multiprocess_parallel_updater import MultiprocessParallelUpdater  # noqa: F401,E501
