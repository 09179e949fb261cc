"""Einstein summation over any number of operands (``F.einsum``)."""
import string

from dchain import function_node
from dchain import utils
from dchain import variable
from dchain.utils import type_check

_LETTERS = string.ascii_letters


def _parse(subscripts, ndims):
    """Expand ``subscripts`` for operands of ``ndims`` dimensions into explicit letters.

    Ellipses become letters not used elsewhere (right-aligned across operands, as numpy
    broadcasts them); an implicit output is the ellipsis followed by the letters that occur
    once, sorted. Returns ``(input_subscripts, output_subscript, ellipsis_letters)``.
    """
    if not isinstance(subscripts, str):
        raise TypeError('F.einsum: the first argument must be the subscripts string, got '
                        '{}'.format(type(subscripts).__name__))
    s = subscripts.replace(' ', '')
    if s.count('->') > 1:
        raise ValueError('F.einsum: subscripts {!r} have more than one "->"'.format(subscripts))
    lhs, arrow, out = s.partition('->')
    ins = lhs.split(',')
    if len(ins) != len(ndims):
        raise ValueError('F.einsum: subscripts {!r} name {} operands but {} were given'.format(
            subscripts, len(ins), len(ndims)))
    for part in ins + [out]:
        rest = part.replace('...', '')
        if '.' in rest or any(c not in _LETTERS for c in rest):
            raise ValueError('F.einsum: invalid subscripts {!r}'.format(subscripts))
        if part.count('...') > 1:
            raise ValueError('F.einsum: more than one ellipsis in {!r}'.format(part))
    used = set(s) - set('.,->')
    free = [c for c in _LETTERS if c not in used]
    n_ell = 0
    for part, ndim in zip(ins, ndims):
        if '...' in part:
            n = ndim - (len(part) - 3)
            if n < 0:
                raise ValueError('F.einsum: operand subscripts {!r} have more letters than the '
                                 'operand has dimensions ({})'.format(part, ndim))
            n_ell = max(n_ell, n)
    if n_ell > len(free):
        raise ValueError('F.einsum: too many dimensions under the ellipsis')
    ell = ''.join(free[:n_ell])
    expanded = []
    for part, ndim in zip(ins, ndims):
        if '...' in part:
            n = ndim - (len(part) - 3)
            part = part.replace('...', ell[n_ell - n:])
        expanded.append(part)
    if arrow:
        if '...' in out:
            out = out.replace('...', ell)
        elif ell:
            raise ValueError('F.einsum: the output of {!r} must keep the ellipsis'.format(
                subscripts))
        if len(set(out)) != len(out):
            raise ValueError('F.einsum: output subscripts {!r} repeat a letter'.format(out))
        all_in = set(''.join(expanded))
        for c in out:
            if c not in all_in:
                raise ValueError('F.einsum: output letter {!r} is not in any input'.format(c))
    else:
        counts = {}
        for c in ''.join(expanded):
            counts[c] = counts.get(c, 0) + 1
        out = ell + ''.join(sorted(c for c, k in counts.items() if k == 1 and c not in ell))
    return expanded, out, ell


class EinSum(function_node.FunctionNode):
    """``einsum`` with explicit letters for every axis (see :func:`einsum`)."""

    def __init__(self, in_subs, out_sub, ellipsis_letters=''):
        self.in_subs = tuple(in_subs)
        self.out_sub = out_sub
        self.ellipsis_letters = ellipsis_letters

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() == len(self.in_subs))
        first = in_types[0]
        type_check.expect(first.dtype.kind == 'f')
        sizes = {}
        for t, sub in zip(in_types, self.in_subs):
            type_check.expect(t.dtype == first.dtype, t.ndim == len(sub))
            shape = type_check.eval(t.shape)
            for k, c in enumerate(sub):
                if c not in sizes or (sizes[c] == 1 and c in self.ellipsis_letters):
                    sizes[c] = shape[k]
                elif not (shape[k] == 1 and c in self.ellipsis_letters):
                    type_check.expect(t.shape[k] == sizes[c])

    @property
    def label(self):
        return 'EinSum({}->{})'.format(','.join(self.in_subs), self.out_sub)

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        xp = utils.get_xp(*inputs)
        sizes = {}
        for x, sub in zip(inputs, self.in_subs):
            for c, n in zip(sub, x.shape):
                sizes[c] = max(sizes.get(c, 1), n)
        self._sizes = sizes
        spec = '{}->{}'.format(','.join(self.in_subs), self.out_sub)
        y = xp.einsum(spec, *inputs, optimize=len(inputs) > 1)
        return utils.force_array(y, inputs[0].dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.sum_to import sum_to
        xs = self.get_retained_inputs()
        gy, = grad_outputs
        sizes = self._sizes
        xp = gy.xp
        dtype = gy.dtype
        ret = []
        for k in indexes:
            target = self.in_subs[k]
            used = set(''.join(self.in_subs)) | set(self.out_sub)
            fresh = iter(c for c in _LETTERS if c not in used)
            operands = [gy] + [x for j, x in enumerate(xs) if j != k]
            subs = [self.out_sub] + [s for j, s in enumerate(self.in_subs) if j != k]
            # A letter repeated in the target is a diagonal: write it through an identity.
            out = []
            for c in target:
                if c in out:
                    d = next(fresh)
                    operands.append(variable.Variable(xp.eye(sizes[c], dtype=dtype),
                                                      requires_grad=False))
                    subs.append(c + d)
                    out.append(d)
                else:
                    out.append(c)
            # A letter summed only within the target: its gradient is broadcast along it.
            present = set(''.join(subs))
            for c in set(out) - present:
                operands.append(variable.Variable(xp.ones(sizes[c], dtype=dtype),
                                                  requires_grad=False))
                subs.append(c)
            g = EinSum(subs, ''.join(out), self.ellipsis_letters).apply(tuple(operands))[0]
            shape = xs[k].shape
            ret.append(g if g.shape == shape else sum_to(g, shape))
        return tuple(ret)


def einsum(*operands):
    """Einstein summation: ``F.einsum('ij,jk->ik', a, b)`` as ``numpy.einsum`` computes it.

    Supports implicit and explicit outputs, ellipses, diagonals (repeated letters) and
    letters summed within one operand.

    Args:
        operands: the subscripts string followed by the floating inputs (one dtype).
    """
    if not operands:
        raise TypeError('F.einsum needs the subscripts and at least one operand')
    subscripts, arrays = operands[0], operands[1:]
    if not arrays:
        raise TypeError('F.einsum needs at least one operand')
    ndims = [variable.as_array(a).ndim for a in arrays]
    in_subs, out_sub, ell = _parse(subscripts, ndims)
    return EinSum(in_subs, out_sub, ell).apply(arrays)[0]
