"""Contract templates as structured, versioned clauses, and rendering `ContractTerms` into them.

A template (`templates/<id>.json`, or an organization's own JSON of the same shape) holds the clauses with
`{placeholders}` and the organization's *standard positions* (usage rights, exclusivity, revisions, cancellation,
payment schedule, ...). `render_contract(template, terms)` fills the clauses from the agreed terms;
`render_standard(template, terms)` renders the same deal on the standard positions, which is the baseline the
approval's clause-by-clause difference is computed against (`store/contracts/clause_diff.py`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.errors import InvalidInput
from store.contracts.terms import (
    Cancellation,
    ContractTerms,
    Disclosure,
    Exclusivity,
    Installment,
    InstallmentKind,
    UsageRights,
)
from store.models import Contract

TEMPLATES_DIR = Path(__file__).parent / "templates"


class TemplateClause(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    text: str | None = None
    variants: dict[str, str] | None = None  # chosen by the terms, e.g. exclusivity "none" / "exclusive"
    required: bool = False  # may not be omitted by agreement

    @model_validator(mode="after")
    def _one_form(self) -> TemplateClause:
        if (self.text is None) == (self.variants is None):
            raise ValueError(f"clause '{self.id}' needs either text or variants")
        return self


class StandardPositions(BaseModel):
    """What the organization agrees to when nothing else was negotiated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    governing_law: str
    payment_schedule: list[Installment] = Field(min_length=1)
    usage_rights: UsageRights
    exclusivity: Exclusivity | None = None
    disclosure: Disclosure = Disclosure()
    revision_rounds: int
    cancellation: Cancellation


class ContractTemplate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    template_id: str
    version: str
    title: str
    countersignature_required: bool = True  # a manager countersigns after the creator
    defaults: StandardPositions
    clauses: list[TemplateClause] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_variants(self) -> ContractTemplate:
        for clause in self.clauses:
            if clause.variants is not None:
                chooser = _VARIANT_CHOOSERS.get(clause.id)
                expected = sorted(_VARIANT_NAMES.get(clause.id, []))
                if chooser is None or sorted(clause.variants) != expected:
                    raise ValueError(f"clause '{clause.id}' variants must be {expected}")
        return self


class Clause(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    number: int
    title: str
    text: str


class RenderedContract(BaseModel):
    model_config = ConfigDict(frozen=True)

    template_id: str
    template_version: str
    title: str
    countersignature_required: bool
    clauses: list[Clause]


@lru_cache
def load_template(template_id: str = "standard") -> ContractTemplate:
    """A bundled template by id (`standard` → templates/standard_contract.json)."""
    path = TEMPLATES_DIR / f"{template_id}_contract.json"
    if not path.is_file():
        raise InvalidInput(f"Unknown contract template '{template_id}'", code="unknown_template")
    return ContractTemplate.model_validate(json.loads(path.read_text(encoding="utf-8")))


def render_contract(template: ContractTemplate, terms: ContractTerms) -> RenderedContract:
    known = {clause.id: clause for clause in template.clauses}
    for omitted in terms.omitted_clauses:
        if omitted not in known:
            raise InvalidInput(f"Cannot omit unknown clause '{omitted}'", code="unknown_clause")
        if known[omitted].required:
            raise InvalidInput(f"Clause '{omitted}' is required and cannot be omitted", code="required_clause")
    values = _placeholder_values(template, terms)
    sections: list[tuple[str, str, str]] = []
    for clause in template.clauses:
        if clause.id in terms.omitted_clauses:
            continue
        text = clause.text if clause.variants is None else clause.variants[_VARIANT_CHOOSERS[clause.id](terms)]
        assert text is not None
        try:
            sections.append((clause.id, clause.title, text.format_map(values)))
        except (KeyError, IndexError, ValueError) as exc:
            raise InvalidInput(f"Template clause '{clause.id}' has a bad placeholder: {exc}",
                               code="template_error") from exc
    for index, extra in enumerate(terms.additional_clauses, start=1):
        sections.append((f"additional_{index}", extra.title, extra.text))
    clauses = [Clause(id=cid, number=n, title=title, text=text)
               for n, (cid, title, text) in enumerate(sections, start=1)]
    return RenderedContract(template_id=template.template_id, template_version=template.version,
                            title=template.title, countersignature_required=template.countersignature_required,
                            clauses=clauses)


def contract_terms(contract: Contract) -> ContractTerms:
    return ContractTerms.model_validate(contract.terms)


def template_of(contract: Contract) -> ContractTemplate:
    return load_template(contract.template_id)


def rendered(contract: Contract, terms: ContractTerms | None = None) -> RenderedContract:
    """The contract's clauses from its own template version; an omitted required or unknown clause is a 422."""
    return render_contract(template_of(contract), terms or contract_terms(contract))


def standard_terms(template: ContractTemplate, terms: ContractTerms) -> ContractTerms:
    """The same deal (parties, deliverables, fee, dates) on the template's standard positions."""
    positions = template.defaults
    milestone_free = [i for i in positions.payment_schedule if i.kind != InstallmentKind.milestone]
    return terms.model_copy(update={
        "payment_schedule": milestone_free, "usage_rights": positions.usage_rights,
        "exclusivity": positions.exclusivity, "disclosure": positions.disclosure,
        "revision_rounds": positions.revision_rounds, "cancellation": positions.cancellation,
        "governing_law": positions.governing_law, "additional_clauses": [], "omitted_clauses": [],
    })


def render_standard(template: ContractTemplate, terms: ContractTerms) -> RenderedContract:
    return render_contract(template, standard_terms(template, terms))


# ---------------------------------------------------------------------------------------------- placeholders

_VARIANT_CHOOSERS: dict[str, Callable[[ContractTerms], str]] = {
    "usage_rights": lambda t: "perpetual" if t.usage_rights.duration_months is None else "limited",
    "exclusivity": lambda t: "none" if t.exclusivity is None else "exclusive",
    "disclosure": lambda t: "platform_tools" if t.disclosure.use_platform_tools else "label_only",
    "cancellation": lambda t: "kill_fee" if t.cancellation.kill_fee_percent > 0 else "no_kill_fee",
}
_VARIANT_NAMES: dict[str, set[str]] = {
    "usage_rights": {"perpetual", "limited"},
    "exclusivity": {"none", "exclusive"},
    "disclosure": {"platform_tools", "label_only"},
    "cancellation": {"kill_fee", "no_kill_fee"},
}


def format_date(value: date) -> str:
    return f"{value.day} {value.strftime('%B')} {value.year}"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _party(name: str, address: str | None) -> str:
    return f"{name}, {address}" if address else name


def _schedule_lines(terms: ContractTerms) -> list[str]:
    lines = []
    for installment, amount in zip(terms.payment_schedule, terms.installment_amounts(), strict=True):
        share = f" ({_plain(installment.percent)}%)" if installment.percent is not None else ""
        due = f"payable within {installment.net_days} days of" if installment.net_days else "payable on"
        if installment.kind == InstallmentKind.advance:
            lines.append(f"• Advance of {amount}{share}, {due} signature of this Agreement.")
        elif installment.kind == InstallmentKind.milestone:
            deliverable = terms.deliverable(installment.deliverable_key or "")
            lines.append(f"• Milestone payment of {amount}{share}, {due} the Brand's approval of "
                         f"\"{deliverable.description}\".")
        else:
            lines.append(f"• Final payment of {amount}{share}, {due} the Brand's approval of all deliverables.")
    return lines


def _placeholder_values(template: ContractTemplate, terms: ContractTerms) -> dict[str, Any]:
    exclusivity = terms.exclusivity
    deliverables = [f"• {d.quantity} × {d.description} on {d.platform}, due {format_date(d.due_date)}"
                    for d in terms.deliverables]
    return {
        "title": template.title,
        "effective_date": format_date(terms.effective_date),
        "brand": _party(terms.brand.legal_name, terms.brand.address),
        "creator": _party(terms.creator.legal_name, terms.creator.address),
        "campaign_name": terms.campaign_name,
        "deliverables_list": "\n".join(deliverables),
        "fee": terms.fee.format(),
        "payment_schedule_list": "\n".join(_schedule_lines(terms)),
        "usage_channels": _join(list(terms.usage_rights.channels)),
        "usage_territory": terms.usage_rights.territory,
        "usage_months": terms.usage_rights.duration_months,
        "exclusivity_days": exclusivity.duration_days if exclusivity else "",
        "exclusivity_category": exclusivity.category if exclusivity else "",
        "exclusivity_competitors": (f", including {_join(list(exclusivity.competitors))}"
                                    if exclusivity and exclusivity.competitors else ""),
        "disclosure_label": terms.disclosure.label,
        "revision_rounds": terms.revision_rounds,
        "notice_days": terms.cancellation.notice_days,
        "kill_fee_percent": _plain(terms.cancellation.kill_fee_percent),
        "governing_law": terms.governing_law or template.defaults.governing_law,
    }
