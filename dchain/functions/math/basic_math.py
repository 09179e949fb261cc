"""Arithmetic operators of Variable (``+ - * / ** @``, unary ``-``, ``abs``).

Each operator picks the FunctionNode for its operand kinds: two variables (or a variable and
an array, which becomes a constant variable) use the broadcasting binary nodes; a Python or
numpy scalar uses the ``*Constant`` nodes so that no array is built for it.
"""
import numbers

import numpy

from dchain import variable
from dchain.functions.math.absolute import absolute
from dchain.functions.math.add import Add
from dchain.functions.math.add_constant import AddConstant
from dchain.functions.math.div import Div
from dchain.functions.math.div_from_constant import DivFromConstant
from dchain.functions.math.matmul import matmul
from dchain.functions.math.mul import Mul
from dchain.functions.math.mul_constant import MulConstant
from dchain.functions.math.neg import Neg
from dchain.functions.math.pow import PowVarVar
from dchain.functions.math.pow_const_var import PowConstVar
from dchain.functions.math.pow_var_const import PowVarConst
from dchain.functions.math.sub import Sub
from dchain.functions.math.sub_from_constant import SubFromConstant

Variable = variable.Variable


def _scalar(value):
    """The operand as a Python scalar, or None if it is not a scalar."""
    if type(value) is float or type(value) is int:
        return value
    if isinstance(value, (bool, numbers.Number)) and not isinstance(value, numpy.ndarray):
        if isinstance(value, numpy.generic):
            return value.item()
        return value
    return None


def _operand(value, op):
    if isinstance(value, Variable):
        return value
    if variable._is_supported_array(value):
        return Variable(value, requires_grad=False)
    raise TypeError('unsupported operand type for {}: Variable and {}'.format(
        op, type(value).__name__))


def _binary(var_node, const_node, rconst_node, symbol):
    def op(self, other):
        value = _scalar(other)
        if value is not None:
            return const_node(value).apply((self,))[0]
        other = _operand(other, symbol)
        return var_node().apply((self, other))[0]

    def rop(self, other):
        value = _scalar(other)
        if value is not None:
            return rconst_node(value).apply((self,))[0]
        other = _operand(other, symbol)
        return var_node().apply((other, self))[0]
    return op, rop


def _add(self, other):
    value = _scalar(other)
    if value is not None:
        return AddConstant(value).apply((self,))[0]
    return Add().apply((self, _operand(other, '+')))[0]


def _radd(self, other):
    value = _scalar(other)
    if value is not None:
        return AddConstant(value).apply((self,))[0]
    return Add().apply((_operand(other, '+'), self))[0]


def _matmul(self, other):
    return matmul(self, _operand(other, '@'))


def _rmatmul(self, other):
    return matmul(_operand(other, '@'), self)


def install_variable_arithmetics():
    Variable.__add__ = _add
    Variable.__radd__ = _radd
    Variable.__sub__, Variable.__rsub__ = _binary(
        Sub, lambda v: AddConstant(-v), SubFromConstant, '-')
    Variable.__mul__, Variable.__rmul__ = _binary(Mul, MulConstant, MulConstant, '*')
    Variable.__truediv__, Variable.__rtruediv__ = _binary(
        # x / 0 must give inf/nan as numpy does, not Python's ZeroDivisionError.
        Div, lambda v: MulConstant(1.0 / v if v != 0 else numpy.inf), DivFromConstant, '/')
    Variable.__pow__, Variable.__rpow__ = _binary(PowVarVar, PowVarConst, PowConstVar, '**')
    Variable.__matmul__ = _matmul
    Variable.__rmatmul__ = _rmatmul
    Variable.__neg__ = lambda self: Neg().apply((self,))[0]
    Variable.__pos__ = lambda self: self
    Variable.__abs__ = absolute

