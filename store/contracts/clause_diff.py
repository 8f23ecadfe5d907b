"""Clause-by-clause difference between the standard contract and the proposed one, for the approval screen.

Clauses are matched by id. Each difference says whether the clause was added, removed or changed, with the full
before/after text and an inline word diff in the familiar `[-removed-]{+added+}` notation.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from store.contracts.template import Clause, ContractTemplate, render_contract, render_standard
from store.contracts.terms import ContractTerms

_TOKENS = re.compile(r"\s+|[^\s]+")


class ClauseChange(enum.StrEnum):
    added = "added"
    removed = "removed"
    changed = "changed"


class ClauseDiff(BaseModel):
    model_config = ConfigDict(frozen=True)

    clause_id: str
    title: str
    change: ClauseChange
    before: str | None
    after: str | None
    inline: str  # the whole clause with word-level edits marked

    def describe(self) -> str:
        """One line for notifications and logs."""
        return f"{self.title}: {self.change.value}"


def inline_diff(before: str, after: str) -> str:
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    # (removed, added) per chunk; ("", "") marks nothing changed, with the unchanged text in `same`
    chunks: list[tuple[str, str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        removed, added = "".join(old[i1:i2]), "".join(new[j1:j2])
        if tag == "equal":
            chunks.append((removed, "", ""))
        elif chunks and not chunks[-1][0] and chunks[-1][1:] != ("", ""):
            _, last_removed, last_added = chunks.pop()
            chunks.append(("", last_removed + removed, last_added + added))
        elif len(chunks) >= 2 and chunks[-1][0].isspace() and chunks[-2][1:] != ("", ""):
            gap = chunks.pop()[0]  # one space between two edits: read them as one edit
            _, last_removed, last_added = chunks.pop()
            chunks.append(("", last_removed + gap + removed, last_added + gap + added))
        else:
            chunks.append(("", removed, added))
    parts = []
    for same, removed, added in chunks:
        parts.append(same + (f"[-{removed}-]" if removed else "") + (f"{{+{added}+}}" if added else ""))
    return "".join(parts)


def diff_clauses(standard: Sequence[Clause], proposed: Sequence[Clause]) -> list[ClauseDiff]:
    """Differences in reading order: the proposed contract's order, removed clauses where they used to be."""
    standard_by_id = {clause.id: clause for clause in standard}
    proposed_ids = {clause.id for clause in proposed}
    diffs: list[ClauseDiff] = []
    pending_removed = [clause for clause in standard if clause.id not in proposed_ids]
    standard_order = {clause.id: index for index, clause in enumerate(standard)}
    for clause in proposed:
        position = standard_order.get(clause.id)
        while position is not None and pending_removed and standard_order[pending_removed[0].id] < position:
            diffs.append(_removed(pending_removed.pop(0)))
        base = standard_by_id.get(clause.id)
        if base is None:
            diffs.append(ClauseDiff(clause_id=clause.id, title=clause.title, change=ClauseChange.added,
                                    before=None, after=clause.text, inline=f"{{+{clause.text}+}}"))
        elif base.text != clause.text or base.title != clause.title:
            diffs.append(ClauseDiff(clause_id=clause.id, title=clause.title, change=ClauseChange.changed,
                                    before=base.text, after=clause.text, inline=inline_diff(base.text, clause.text)))
    diffs.extend(_removed(clause) for clause in pending_removed)
    return diffs


def _removed(clause: Clause) -> ClauseDiff:
    return ClauseDiff(clause_id=clause.id, title=clause.title, change=ClauseChange.removed,
                      before=clause.text, after=None, inline=f"[-{clause.text}-]")


def differences(template: ContractTemplate, terms: ContractTerms) -> list[ClauseDiff]:
    """What the manager approves: every clause that differs from the organization's standard contract."""
    return diff_clauses(render_standard(template, terms).clauses, render_contract(template, terms).clauses)
