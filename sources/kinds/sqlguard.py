"""What a SQL source's ``query`` may be: exactly one SELECT that reads, nothing else.

The query is parsed with sqlglot in the source's dialect, not matched with patterns: a text that
closes the wrapper's parenthesis and goes on (``SELECT 1) AS q0; COMMIT; CREATE TABLE ...``)
does not parse as one statement, and a data-modifying CTE (``WITH d AS (DELETE ... RETURNING
*) SELECT ...``) parses as a SELECT whose tree holds the DELETE, so the whole tree is walked.
Parsing is one guard of three: reads also run in a read-only transaction with a statement
timeout (``sources.kinds.sql``), and a deployment gives the dashboard a role that can only read.
"""

from __future__ import annotations

import logging

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from sources.problems import register_messages

register_messages(
    {
        "sql.query_parse": {
            "vi": "'query' không phải câu SQL hợp lệ: {detail}",
            "en": "'query' is not valid SQL: {detail}",
        },
        "sql.query_one": {
            "vi": "'query' phải là đúng một câu SELECT (tìm thấy {count} câu lệnh)",
            "en": "'query' must be exactly one SELECT statement (found {count})",
        },
        "sql.query_select": {
            "vi": "'query' chỉ được là câu SELECT đọc dữ liệu, không phải {what}",
            "en": "'query' may only be a SELECT that reads data, not {what}",
        },
        "sql.query_writes": {
            "vi": "'query' chứa {what}: nguồn dữ liệu chỉ được đọc, không được ghi hay khóa dữ liệu",
            "en": "'query' contains {what}: a source may only read, never write or lock data",
        },
    }
)

#: Nodes that write, lock, or run something other than a query, wherever they sit in the tree.
_FORBIDDEN: tuple[type[exp.Expression], ...] = (
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.TruncateTable,
    exp.Copy,
    exp.Into,
    exp.Lock,
    exp.Command,
    exp.Set,
    exp.Grant,
    exp.Use,
    exp.Pragma,
    exp.Transaction,
    exp.Commit,
)
_READS = (exp.Select, exp.SetOperation)  # a SELECT, or SELECTs joined by UNION & co.


def _words(node: exp.Expression) -> str:
    name = node.key.upper() if node.key else type(node).__name__.upper()
    return {"INTO": "SELECT ... INTO", "LOCK": "FOR UPDATE / FOR SHARE"}.get(name, name)


def query_problem(query: str, dialect: str | None) -> tuple[str, dict[str, object]] | None:
    """Why ``query`` is not one read-only SELECT in ``dialect`` (a message code and its
    parameters), or None when it is."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)  # sqlglot warns as it falls back to a Command: we say why
    try:
        statements = [s for s in sqlglot.parse(query, read=dialect) if s is not None]
    except SqlglotError as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return "sql.query_parse", {"detail": detail}
    finally:
        logger.setLevel(level)
    if len(statements) != 1:
        return "sql.query_one", {"count": len(statements)}
    (statement,) = statements
    if not isinstance(statement, _READS):
        return "sql.query_select", {"what": _words(statement)}
    for node in statement.walk():
        if isinstance(node, _FORBIDDEN):
            return "sql.query_writes", {"what": _words(node)}
    return None
