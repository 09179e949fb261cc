"""Array manipulation (``F.reshape``, ``F.transpose``, ``F.get_item`` ...)."""
from dchain.functions.array.broadcast_to import broadcast_to, BroadcastTo  # noqa: F401
from dchain.functions.array.get_item import get_item, GetItem  # noqa: F401
from dchain.functions.array.identity import identity, Identity  # noqa: F401
from dchain.functions.array.reshape import reshape, Reshape  # noqa: F401
from dchain.functions.array.transpose import transpose, Transpose  # noqa: F401
