"""Sequential: a ChainList whose children (links or plain functions) are applied in order."""
from dchain.link import ChainList, Link


class Sequential(ChainList):
    """Apply layers in order: ``Sequential(L.Linear(3, 4), F.relu, L.Linear(4, 2))(x)``.

    Links among the layers are registered as children (their parameters are the model's);
    other callables are kept as they are.
    """

    def __init__(self, *layers):
        super().__init__()
        self.__dict__['_layers'] = []
        for layer in layers:
            self.append(layer)

    def append(self, layer):
        """Add a layer (a Link or any callable) at the end."""
        self.insert(len(self._layers), layer)

    def insert(self, index, layer):
        """Insert a layer before position ``index``."""
        if not callable(layer):
            raise TypeError('a Sequential layer must be callable, got {}'.format(
                type(layer).__name__))
        self._layers.insert(index, layer)
        self._sync_children()

    def extend(self, layers):
        for layer in layers:
            self.append(layer)

    def pop(self, index=-1):
        layer = self._layers.pop(index)
        self._sync_children()
        return layer

    def _sync_children(self):
        children = [layer for layer in self._layers if isinstance(layer, Link)]
        for i, child in enumerate(children):
            child.name = str(i)
        self.__dict__['_children'] = children

    def add_link(self, link):
        self.append(link)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(*self._layers[index])
        return self._layers[index]

    def __iter__(self):
        return iter(self._layers)

    def __len__(self):
        return len(self._layers)

    def forward(self, *x):
        for layer in self._layers:
            x = layer(*x) if isinstance(x, tuple) else layer(x)
        return x

    def copy(self, mode='share'):
        ret = super().copy(mode)
        if mode == 'share':
            children = iter(ret._children)
            ret.__dict__['_layers'] = [next(children) if isinstance(layer, Link) else layer
                                       for layer in self._layers]
        return ret
