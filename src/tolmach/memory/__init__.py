"""Translation memory and concordance over plain rows: fuzzy scores, differing words,
number substitution, concordance queries.  No database, no UI."""

from tolmach.memory.concordance import Query, compile_query
from tolmach.memory.fuzzy import (
    Candidate,
    DiffPart,
    NumberChange,
    Proposal,
    diff,
    normalize,
    rank,
    score,
    substitute_numbers,
)

__all__ = [
    "Candidate",
    "DiffPart",
    "NumberChange",
    "Proposal",
    "Query",
    "compile_query",
    "diff",
    "normalize",
    "rank",
    "score",
    "substitute_numbers",
]
