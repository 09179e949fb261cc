"""Triggers: callables on the trainer that say when an extension runs or training stops."""
from dchain.training.trigger import get_trigger  # noqa: F401
from dchain.training.triggers.early_stopping_trigger import EarlyStoppingTrigger  # noqa: F401
from dchain.training.triggers.interval_trigger import IntervalTrigger  # noqa: F401
from dchain.training.triggers.manual_schedule_trigger import ManualScheduleTrigger  # noqa
from dchain.training.triggers.minmax_value_trigger import (BestValueTrigger,  # noqa: F401
                                                            MaxValueTrigger, MinValueTrigger)
from dchain.training.triggers.once_trigger import OnceTrigger  # noqa: F401
from dchain.training.triggers.time_trigger import TimeTrigger  # noqa: F401
