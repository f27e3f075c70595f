"""The one query language of the command line, the window, saved searches, exports and trends.

Whoosh syntax for the text (words, "phrases"~slop, ``title:``, ``abstract:``, ``note:``,
``diffus*``, ``difusion~``, boosts ``graph^2``) and filters on the user's state, answered by
SQLite: ``is:starred``, ``is:unread``, ``is:reading``, ``is:read``, ``is:new`` (added since the
window's previous session began), ``is:triaged``, ``is:untriaged``, ``tag:NAME``,
``tag:"two words"``, ``has:code``, ``has:note``, ``author:NAME``, ``date:2024-03``,
``date:2024-03-13`` and ranges ``date:2024-01..2024-03`` (either end may be left open);
``search:"name"``, a saved search, ``like:ID``, the papers most like one, and ``like:tag:NAME``,
the papers most like a tag's. AND, OR, NOT, ``-word`` and parentheses combine any of them: the
query is parsed once into one tree
(`parse_query`), which `evaluate` answers.
"""

from readerapp.core.query.evaluate import Answers, Found, evaluate
from readerapp.core.query.parser import ParsedQuery, SavedLookup, parse_query, saved_search_fragment
from readerapp.core.query.tokens import OPERATORS

__all__ = [
    "OPERATORS",
    "Answers",
    "Found",
    "ParsedQuery",
    "SavedLookup",
    "evaluate",
    "parse_query",
    "saved_search_fragment",
]
