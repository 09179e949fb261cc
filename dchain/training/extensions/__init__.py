"""Trainer extensions: evaluation, logging, printing, snapshots, schedules and more."""
from dchain.training.extensions._snapshot import snapshot, snapshot_object  # noqa: F401
from dchain.training.extensions.evaluator import Evaluator  # noqa: F401
from dchain.training.extensions.log_report import LogReport  # noqa: F401
from dchain.training.extensions.print_report import PrintReport  # noqa: F401
