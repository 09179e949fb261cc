"""Corpus-level BLEU (Papineni et al. 2002), written here so the example needs no nltk.

Modified n-gram precisions are pooled over the whole corpus (clipped counts summed, then
divided), combined by a geometric mean with uniform weights, and multiplied by the brevity
penalty computed from the total hypothesis length and, for each sentence, the reference
length closest to its hypothesis length. With ``smoothing=True`` an n-gram order with no
match contributes ``epsilon / total`` instead of zero (nltk's ``method1``), so short or poor
early translations still get a small, comparable score.
"""
import collections
import math


def ngrams(tokens, n):
    return collections.Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def corpus_bleu(references, hypotheses, max_n=4, smoothing=True, epsilon=0.1):
    """BLEU of ``hypotheses`` (token lists) against ``references`` (lists of token lists).

    Args:
        references: for each sentence, a list of one or more reference token sequences.
        hypotheses: for each sentence, the hypothesis token sequence.
        max_n (int): highest n-gram order (4 for BLEU-4).
        smoothing (bool): replace zero precisions by ``epsilon / total``.

    Returns:
        float in [0, 1].
    """
    if len(references) != len(hypotheses):
        raise ValueError('{} references for {} hypotheses'.format(
            len(references), len(hypotheses)))
    matches = [0] * max_n
    totals = [0] * max_n
    hyp_len = ref_len = 0
    for refs, hyp in zip(references, hypotheses):
        hyp = list(hyp)
        refs = [list(r) for r in refs]
        hyp_len += len(hyp)
        # Closest reference length; ties go to the shorter reference.
        ref_len += min((abs(len(r) - len(hyp)), len(r)) for r in refs)[1]
        for n in range(1, max_n + 1):
            counts = ngrams(hyp, n)
            max_ref = collections.Counter()
            for r in refs:
                max_ref |= ngrams(r, n)
            matches[n - 1] += sum(min(c, max_ref[g]) for g, c in counts.items())
            totals[n - 1] += max(len(hyp) - n + 1, 0)
    if hyp_len == 0 or matches[0] == 0:
        return 0.
    log_p = 0.
    for m, t in zip(matches, totals):
        if m == 0:
            if not smoothing or t == 0:
                return 0.
            m = epsilon
        log_p += math.log(m / t) / max_n
    bp = 1. if hyp_len > ref_len else math.exp(1. - ref_len / hyp_len)
    return bp * math.exp(log_p)
