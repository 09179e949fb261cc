"""A predictor wrapped with a loss and an accuracy (``L.Classifier``)."""
from dchain import link
from dchain import reporter
from dchain.functions.evaluation.accuracy import accuracy
from dchain.functions.loss.softmax_cross_entropy import softmax_cross_entropy


class Classifier(link.Chain):
    """Runs ``predictor`` on the inputs, then computes and reports the loss and accuracy.

    The call ``classifier(*args, **kwargs)`` takes the label out of the arguments (by
    ``label_key``), applies ``predictor`` to the rest, and returns
    ``lossfun(prediction, label)``. The loss (and the accuracy, while
    ``compute_accuracy`` is True) are reported under ``'loss'`` and ``'accuracy'`` with
    this link as the observer.

    Args:
        predictor (Link): the model.
        lossfun (callable): ``lossfun(y, t)`` (default: softmax cross entropy).
        accfun (callable): ``accfun(y, t)`` (default: accuracy).
        label_key (int or str): position of the label among the positional arguments, or
            the name of the keyword argument holding it.

    Attributes:
        y: the last prediction; loss: the last loss; accuracy: the last accuracy.
        compute_accuracy (bool): whether to compute and report the accuracy.
    """

    compute_accuracy = True

    def __init__(self, predictor, lossfun=softmax_cross_entropy, accfun=accuracy,
                 label_key=-1):
        if isinstance(label_key, bool) or not isinstance(label_key, (int, str)):
            raise TypeError('Classifier: label_key must be an int or a str, got {}'.format(
                type(label_key).__name__))
        super().__init__()
        self.lossfun = lossfun
        self.accfun = accfun
        self.label_key = label_key
        self.y = None
        self.loss = None
        self.accuracy = None
        with self.init_scope():
            self.predictor = predictor

    def _split_label(self, args, kwargs):
        key = self.label_key
        if isinstance(key, int):
            if not -len(args) <= key < len(args):
                raise ValueError('Classifier: label_key {} is out of range for {} positional '
                                 'arguments'.format(key, len(args)))
            t = args[key]
            index = key % len(args)
            return args[:index] + args[index + 1:], kwargs, t
        if key not in kwargs:
            raise ValueError('Classifier: the label keyword argument {!r} was not given'
                             .format(key))
        kwargs = dict(kwargs)
        t = kwargs.pop(key)
        return args, kwargs, t

    def forward(self, *args, **kwargs):
        """Predict, compute the loss (and accuracy), report them, return the loss."""
        args, kwargs, t = self._split_label(args, kwargs)
        self.y = None
        self.loss = None
        self.accuracy = None
        self.y = self.predictor(*args, **kwargs)
        self.loss = self.lossfun(self.y, t)
        reporter.report({'loss': self.loss}, self)
        if self.compute_accuracy:
            self.accuracy = self.accfun(self.y, t)
            reporter.report({'accuracy': self.accuracy}, self)
        return self.loss
