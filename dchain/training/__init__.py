"""dchain.training: the Trainer, updaters, triggers and extensions."""
from dchain.training import extension  # noqa: F401
from dchain.training import trigger  # noqa: F401
from dchain.training import triggers  # noqa: F401
from dchain.training import updater  # noqa: F401
from dchain.training import updaters  # noqa: F401
from dchain.training import extensions  # noqa: F401
from dchain.training.extension import (Extension, make_extension,  # noqa: F401
                                       PRIORITY_WRITER, PRIORITY_EDITOR, PRIORITY_READER)
from dchain.training.trainer import Trainer  # noqa: F401
from dchain.training.trigger import get_trigger  # noqa: F401
from dchain.training.updater import Updater  # noqa: F401
from dchain.training.updaters.standard_updater import StandardUpdater  # noqa: F401
