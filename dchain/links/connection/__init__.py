"""Links with connection parameters (``L.Linear``, ``L.Convolution2D`` ...)."""
from dchain.links.connection.linear import Linear  # noqa: F401
from dchain.links.connection.embed_id import EmbedID  # noqa: F401
from dchain.links.connection.lstm import LSTM, StatelessLSTM  # noqa: F401
