"""unchain_variables: frees the graphs kept by reported Variables at the end of an iteration."""
from dchain.training import extension
from dchain.variable import Variable


@extension.make_extension(trigger=(1, 'iteration'), priority=-1000)
def unchain_variables(trainer):
    """Cut the graph behind every Variable in the observation.

    Useful with ``dchain.config.keep_graph_on_report = True``: the graphs then live only
    until every other extension has seen them (this one runs last).
    """
    for value in trainer.observation.values():
        if isinstance(value, Variable):
            value.unchain_backward()
