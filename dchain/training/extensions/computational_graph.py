"""DumpGraph: writes the computational graph behind a reported value as a Graphviz DOT file."""
import os

from dchain.config import config
from dchain.serializers import _atomic
from dchain.training import extension
from dchain.variable import Variable


def _quote(text):
    return '"{}"'.format(str(text).replace('\\', '\\\\').replace('"', '\\"'))


def _attrs(label, style):
    items = {'label': label}
    items.update(style or {})
    return '[{}]'.format(','.join('{}={}'.format(k, _quote(v)) for k, v in items.items()))


def graph_to_dot(root, variable_style=None, function_style=None):
    """DOT text of the graph that produced ``root`` (a Variable), inputs at the top."""
    variable_style = variable_style or {'shape': 'octagon', 'fillcolor': '#E0E0E0',
                                        'style': 'filled'}
    function_style = function_style or {'shape': 'record', 'fillcolor': '#6495ED',
                                        'style': 'filled'}
    lines = ['digraph graphname {', 'rankdir=TB;']
    root_node = root.node
    seen = {id(root_node)}
    lines.append('{} {};'.format(id(root_node), _attrs(root_node.label, variable_style)))
    stack = [root_node]
    edges = set()
    while stack:
        var_node = stack.pop()
        func = var_node.creator_node
        if func is None:
            continue
        if id(func) not in seen:
            seen.add(id(func))
            lines.append('{} {};'.format(id(func), _attrs(func.label, function_style)))
            for input_node in func.inputs or ():
                edges.add((id(input_node), id(func)))
                if id(input_node) not in seen:
                    seen.add(id(input_node))
                    lines.append('{} {};'.format(
                        id(input_node), _attrs(_variable_label(input_node), variable_style)))
                    stack.append(input_node)
        edges.add((id(func), id(var_node)))
    lines.extend('{} -> {};'.format(a, b) for a, b in sorted(edges))
    lines.append('}')
    return '\n'.join(lines) + '\n'


def _variable_label(node):
    name = getattr(node, 'name', None)
    label = node.label
    return '{}: {}'.format(name, label) if name else label


class DumpGraph(extension.Extension):
    """Write the graph of the reported Variable ``root_name`` (e.g. ``'main/loss'``) once,
    at the first iteration, to ``<trainer.out>/<filename>`` in Graphviz DOT format.

    The graph must survive the report, so ``config.keep_graph_on_report`` is turned on from
    :meth:`initialize` until the graph is written.

    Args:
        root_name (str): the observation key of the output Variable.
        filename (str): the DOT file name (``'cg.dot'``).
        variable_style (dict), function_style (dict): Graphviz node attributes.
    """

    trigger = 1, 'iteration'
    default_name = 'dump_graph'
    priority = extension.PRIORITY_READER

    def __init__(self, root_name, filename='cg.dot', variable_style=None,
                 function_style=None, **kwargs):
        out_name = kwargs.pop('out_name', None)
        if kwargs:
            raise TypeError('DumpGraph got unexpected keyword arguments: {}'.format(
                ', '.join(sorted(kwargs))))
        self._root_name = root_name
        self._filename = out_name or filename
        self._variable_style = variable_style
        self._function_style = function_style
        self._original_flag = None
        self._dumped = False

    def initialize(self, trainer):
        if not self._dumped:
            self._original_flag = config.keep_graph_on_report
            config.keep_graph_on_report = True

    def __call__(self, trainer):
        if self._dumped:
            return
        try:
            var = trainer.observation[self._root_name]
        except KeyError:
            raise KeyError('DumpGraph: {!r} is not in the observation; reported keys: '
                           '{}'.format(self._root_name, sorted(trainer.observation))) from None
        if not isinstance(var, Variable):
            raise TypeError('DumpGraph: {!r} is not a Variable but {}'.format(
                self._root_name, type(var).__name__))
        text = graph_to_dot(var, self._variable_style, self._function_style)
        with _atomic.atomic_write(os.path.join(trainer.out, self._filename), 'w') as f:
            f.write(text)
        self._restore()
        self._dumped = True

    def _restore(self):
        if self._original_flag is not None:
            config.keep_graph_on_report = self._original_flag
            self._original_flag = None

    def finalize(self, trainer=None):
        self._restore()

    def serialize(self, serializer):
        self._dumped = bool(serializer('_dumped', self._dumped))
