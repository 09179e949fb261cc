"""Type checks of function inputs: ``check_type_forward`` written once, run two ways.

A FunctionNode's ``check_type_forward(in_types)`` states conditions such as
``x_type.dtype.kind == 'f'`` and ``x_type.shape[1] == w_type.shape[1]``, then calls
:func:`expect`. On every call the conditions first run in *light mode*, where ``in_types`` holds
the arrays themselves and each condition is a plain bool (cheap). Only when one fails does it run
again on symbolic expressions, to build an :class:`InvalidType` that names the function, the
condition as written and the values it saw::

    Invalid operation is performed in: LinearFunction (Forward)

    Expect: x.shape[1] == W.shape[1]
    Actual: 3 != 4
"""
import operator

import numpy


class InvalidType(Exception):
    """Raised when the inputs of a function do not satisfy its type conditions.

    Attributes:
        expect (str): the condition as written.
        actual (str): the values that made it fail.
    """

    def __init__(self, expect, actual, msg=None):
        if msg is None:
            msg = 'Expect: {0}\nActual: {1}'.format(expect, actual)
        self._function_name = None
        self._direction = None
        super().__init__(msg)
        self.expect = expect
        self.actual = actual

    def __reduce__(self):
        return InvalidType, (self.expect, self.actual, self._plain_message())

    def _plain_message(self):
        return super().__str__()

    def __str__(self):
        msg = self._plain_message()
        if self._function_name is not None:
            msg = '\nInvalid operation is performed in: {0} ({1})\n\n{2}'.format(
                self._function_name, self._direction, msg)
        return msg


class _LightModeFailure(Exception):
    """A light-mode condition was false; the caller re-runs the check to explain why."""


# ----------------------------------------------------------------------------------------------
# Symbolic expressions (used only to explain a failure)

_PRIORITY = {'or': 1, 'and': 2, 'not': 3, 'cmp': 4, '|': 5, '^': 6, '&': 7, 'shift': 8,
             'add': 9, 'mul': 10, 'unary': 11, 'pow': 12, 'atom': 13}


class Expr:
    """A symbolic expression over input types; evaluates lazily, prints as written."""

    priority = _PRIORITY['atom']

    def eval(self):
        raise NotImplementedError

    def __str__(self):
        raise NotImplementedError

    def __repr__(self):
        return '<{} {}>'.format(type(self).__name__, self)

    def __bool__(self):
        raise RuntimeError(
            'a type-check expression cannot be used as a bool (did you write `if` or `and` on '
            'it?). Pass conditions to dchain.utils.type_check.expect(), or use '
            'type_check.eval(expr) to get its value.')

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return GetAttr(self, name)

    def __getitem__(self, key):
        return GetItem(self, key)

    def __call__(self, *args, **kwargs):
        return Call(self, args, kwargs)

    __hash__ = None


def _eval(x):
    return x.eval() if isinstance(x, Expr) else x


def _str(x, priority=0):
    if isinstance(x, Expr):
        s = str(x)
        return '({})'.format(s) if x.priority < priority else s
    if isinstance(x, numpy.dtype):
        return 'numpy.{}'.format(x)
    if isinstance(x, type) and issubclass(x, numpy.generic):
        return 'numpy.{}'.format(x.__name__)
    if isinstance(x, slice):
        return '{}:{}{}'.format('' if x.start is None else x.start,
                                '' if x.stop is None else x.stop,
                                '' if x.step is None else ':{}'.format(x.step))
    return repr(x)


class Variable(Expr):
    """A named value, e.g. ``in_types[0]`` or ``x``."""

    def __init__(self, value, name):
        self.__dict__['value'] = value
        self.__dict__['name'] = name

    def __setattr__(self, name, value):
        self.__dict__[name] = value

    def eval(self):
        return self.value

    def __str__(self):
        return self.name


class Constant(Expr):
    def __init__(self, value):
        self.__dict__['value'] = value

    def eval(self):
        return self.value

    def __str__(self):
        return _str(self.value)


class GetAttr(Expr):
    def __init__(self, obj, name):
        self.__dict__.update(obj=obj, name=name)

    def eval(self):
        return getattr(_eval(self.obj), _eval(self.name))

    def __str__(self):
        return '{}.{}'.format(_str(self.obj, self.priority), self.name)


class GetItem(Expr):
    def __init__(self, obj, key):
        self.__dict__.update(obj=obj, key=key)

    def eval(self):
        key = self.key
        if isinstance(key, slice):
            key = slice(_eval(key.start), _eval(key.stop), _eval(key.step))
        return _eval(self.obj)[_eval(key)]

    def __str__(self):
        key = self.key
        if isinstance(key, tuple):
            key_str = ', '.join(_str(k) for k in key)
        else:
            key_str = _str(key)
        return '{}[{}]'.format(_str(self.obj, self.priority), key_str)


class Call(Expr):
    def __init__(self, fn, args, kwargs):
        self.__dict__.update(fn=fn, args=args, kwargs=kwargs)

    def eval(self):
        return _eval(self.fn)(*[_eval(a) for a in self.args],
                              **{k: _eval(v) for k, v in self.kwargs.items()})

    def __str__(self):
        parts = [_str(a) for a in self.args]
        parts += ['{}={}'.format(k, _str(v)) for k, v in self.kwargs.items()]
        return '{}({})'.format(_str(self.fn, self.priority), ', '.join(parts))


class BinaryOperator(Expr):
    def __init__(self, priority, lhs, rhs, exp, func, right_associative=False):
        self.__dict__.update(priority=priority, lhs=lhs, rhs=rhs, exp=exp, func=func,
                             right_associative=right_associative)

    def eval(self):
        return self.func(_eval(self.lhs), _eval(self.rhs))

    def __str__(self):
        left_p = self.priority + (1 if self.right_associative else 0)
        right_p = self.priority + (0 if self.right_associative else 1)
        return '{} {} {}'.format(_str(self.lhs, left_p), self.exp, _str(self.rhs, right_p))


class UnaryOperator(Expr):
    def __init__(self, priority, term, exp, func):
        self.__dict__.update(priority=priority, term=term, exp=exp, func=func)

    def eval(self):
        return self.func(_eval(self.term))

    def __str__(self):
        return '{}{}'.format(self.exp, _str(self.term, self.priority))


class Testable(BinaryOperator):
    """A comparison; :func:`expect` evaluates it and explains a failure."""

    _negation = {'==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<'}

    def expect(self):
        left, right = _eval(self.lhs), _eval(self.rhs)
        if not self.func(left, right):
            raise InvalidType(str(self), '{} {} {}'.format(
                _str(left), self._negation[self.exp], _str(right)))


def _binary(exp, func, priority, right_associative=False):
    def op(self, other):
        return BinaryOperator(priority, self, other, exp, func, right_associative)

    def rop(self, other):
        return BinaryOperator(priority, other, self, exp, func, right_associative)
    return op, rop


def _compare(exp, func):
    def op(self, other):
        return Testable(_PRIORITY['cmp'], self, other, exp, func)
    return op


for _name, _exp, _func, _prio in [
        ('add', '+', operator.add, 'add'), ('sub', '-', operator.sub, 'add'),
        ('mul', '*', operator.mul, 'mul'), ('truediv', '/', operator.truediv, 'mul'),
        ('floordiv', '//', operator.floordiv, 'mul'), ('mod', '%', operator.mod, 'mul'),
        ('lshift', '<<', operator.lshift, 'shift'), ('rshift', '>>', operator.rshift, 'shift'),
        ('and', '&', operator.and_, '&'), ('or', '|', operator.or_, '|'),
        ('xor', '^', operator.xor, '^')]:
    _op, _rop = _binary(_exp, _func, _PRIORITY[_prio])
    setattr(Expr, '__{}__'.format(_name), _op)
    setattr(Expr, '__r{}__'.format(_name), _rop)
_op, _rop = _binary('**', operator.pow, _PRIORITY['pow'], right_associative=True)
Expr.__pow__, Expr.__rpow__ = _op, _rop
for _name, _exp, _func in [('eq', '==', operator.eq), ('ne', '!=', operator.ne),
                           ('lt', '<', operator.lt), ('le', '<=', operator.le),
                           ('gt', '>', operator.gt), ('ge', '>=', operator.ge)]:
    setattr(Expr, '__{}__'.format(_name), _compare(_exp, _func))
Expr.__neg__ = lambda self: UnaryOperator(_PRIORITY['unary'], self, '-', operator.neg)
Expr.__pos__ = lambda self: UnaryOperator(_PRIORITY['unary'], self, '+', operator.pos)
Expr.__invert__ = lambda self: UnaryOperator(_PRIORITY['unary'], self, '~', operator.invert)
del _name, _exp, _func, _prio, _op, _rop


def make_variable(value, name):
    return Variable(value, name)


def eval(expr):  # noqa: A001 (Chainer's name)
    """Value of a type-check expression (or the value itself in light mode)."""
    return _eval(expr)


# ----------------------------------------------------------------------------------------------
# Types of the inputs

class TypeInfo:
    """Shape and dtype of one input (what ``in_types[i]`` evaluates to)."""

    __slots__ = ('shape', 'dtype', 'ndim', 'size')

    def __init__(self, shape, dtype):
        self.shape = tuple(shape)
        self.dtype = dtype
        self.ndim = len(self.shape)
        size = 1
        for s in self.shape:
            size *= s
        self.size = size

    def __repr__(self):
        return 'TypeInfo(shape={}, dtype={})'.format(self.shape, self.dtype)


class TypeInfoTuple(tuple):
    """The types of all inputs. ``size()`` is the number of inputs."""

    light = False
    name = 'in_types'

    def size(self):
        if self.light:
            return len(self)
        return Variable(len(self), '{}.size'.format(self.name))


class _NoneType:
    """Type of an input that is ``None`` (only where a function accepts one)."""
    shape = None
    dtype = None
    ndim = None
    size = None

    def __repr__(self):
        return 'None'


class _LightTypes(TypeInfoTuple):
    """The arrays themselves standing in for their types (light mode)."""

    light = True


def get_types(data, name, accept_none=False, light=False):
    """Types of the arrays ``data`` for ``check_type_forward``.

    In light mode the arrays themselves stand in for their types (they have ``shape``,
    ``dtype``, ``ndim`` and ``size``), so a check costs only its comparisons.
    """
    if light:
        return _LightTypes(data)
    entries = []
    for i, x in enumerate(data):
        label = '{}[{}]'.format(name, i)
        if x is None:
            if not accept_none:
                raise InvalidType('{} is an array'.format(label), 'None')
            entries.append(Variable(_NoneType(), label))
        else:
            entries.append(Variable(TypeInfo(x.shape, x.dtype), label))
    types = TypeInfoTuple(entries)
    types.name = name
    return types


def argname(in_types, names):
    """Give the inputs readable names (``x``, ``W``...) for error messages."""
    if in_types.light:
        return
    for t, n in zip(in_types, names):
        if isinstance(t, Variable):
            t.name = n


def expect(*bool_exprs):
    """Check conditions; raise :class:`InvalidType` (or signal light-mode failure) if one fails."""
    for cond in bool_exprs:
        if isinstance(cond, Testable):
            cond.expect()
        elif isinstance(cond, Expr):
            if not cond.eval():
                raise InvalidType(str(cond), 'False')
        elif not cond:
            # A plain bool: light mode (or a literal in a check). run_check explains it.
            raise _LightModeFailure()


def same_types(*arrays):
    """Whether all arrays come from the same array module (all numpy or all cupy)."""
    types = set(type(a) for a in arrays if a is not None)
    return len({t.__module__.split('.')[0] for t in types}) <= 1


def expect_broadcast_shapes(*shape_types, **kwargs):
    """Check that the given shapes (expressions or tuples) broadcast together."""
    allow_none = kwargs.pop('allow_none', False)
    if kwargs:
        raise TypeError('unexpected keyword arguments: {}'.format(', '.join(kwargs)))
    symbolic = any(isinstance(s, Expr) for s in shape_types)
    shapes = [_eval(s) for s in shape_types]
    if allow_none:
        shapes = [s for s in shapes if s is not None]
    try:
        numpy.broadcast_shapes(*shapes)
    except ValueError:
        if not symbolic:
            raise _LightModeFailure() from None
        raise InvalidType('cannot broadcast shapes {}'.format(
            ', '.join(str(s) for s in shape_types)),
            'shapes {} are not broadcastable'.format(', '.join(str(s) for s in shapes))) \
            from None


def run_check(check, in_data, function, accept_none=False, direction='Forward'):
    """Run ``check(in_types)`` in light mode, and on failure once more to explain it.

    Args:
        function: the function being checked (its ``label`` names it in the error), or a name.

    Raises:
        InvalidType: naming the function, the condition and the actual values.
    """
    try:
        check(_LightTypes(in_data))
        return
    except (_LightModeFailure, InvalidType):
        pass
    except (TypeError, AttributeError, IndexError):
        # A light check tripped over an unexpected input (e.g. None); explain it below.
        pass
    function_name = getattr(function, 'label', function)
    try:
        check(get_types(in_data, 'in_types', accept_none))
    except _LightModeFailure:
        e = InvalidType('a condition of {} given as a plain bool to hold'.format(function_name),
                        'False')
        e._function_name = function_name
        e._direction = direction
        raise e from None
    except InvalidType as e:
        e._function_name = function_name
        e._direction = direction
        raise
    # The conditions hold on symbolic types although light mode failed: only possible when the
    # check is inconsistent between the two modes. Report rather than silently accept.
    raise InvalidType('check_type_forward of {} to hold'.format(function_name),
                      'it failed on the arrays but passed on their types')
