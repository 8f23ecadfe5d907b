"""Contract terms, template rendering, clause diff and the PDFs (determinism, hashes, Unicode names, audit page,
invoice), plus document storage with hash checks."""

from __future__ import annotations

import io
import logging
from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import ValidationError
from pypdf import PdfReader

from core.money import Money
from store.contracts.clause_diff import ClauseChange, diff_clauses, inline_diff
from store.contracts.template import load_template, render_contract, render_standard
from store.contracts.terms import ContractTerms
from store.invoices.document import InvoiceDocument, InvoiceLine, InvoiceParty
from tests.support.payments import sample_terms
from tools.documents.archive import MemoryDocumentStorage, load_document, store_document
from tools.documents.fonts import default_fonts, drawable_text
from tools.documents.pdf import (
    ORIGINAL_ATTACHMENT,
    AuditTrail,
    SignatureAuditEntry,
    append_audit_page,
    render_contract_pdf,
    render_invoice_pdf,
    sha256_hex,
)


def _contract_pdf(terms: ContractTerms) -> bytes:
    return render_contract_pdf(render_contract(load_template(), terms), terms, reference="CTR-0001",
                               issued_on=date(2026, 3, 1))


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# ------------------------------------------------------------------------------------------------ terms


def test_schedule_amounts_add_up_to_the_fee_with_rounding_on_the_last_installment() -> None:
    terms = sample_terms(fee={"amount": "1000.00", "currency": "EUR"}, payment_schedule=[
        {"kind": "advance", "percent": "33.33"}, {"kind": "milestone", "percent": "33.33", "deliverable_key": "reel-1"},
        {"kind": "final", "percent": "33.34"}])
    amounts = terms.installment_amounts()
    assert [a.amount for a in amounts] == [Money.of("333.30", "EUR").amount, Money.of("333.30", "EUR").amount,
                                           Money.of("333.40", "EUR").amount]
    assert sum(amounts, Money.zero("EUR")) == terms.fee


@pytest.mark.parametrize(("override", "message"), [
    ({"payment_schedule": [{"kind": "advance", "percent": "50"}, {"kind": "final", "percent": "40"}]},
     "add up to 100"),
    ({"payment_schedule": [{"kind": "advance", "amount": "100"}, {"kind": "final", "amount": "100"}]},
     "add up to the fee"),
    ({"payment_schedule": [{"kind": "milestone", "percent": "100", "deliverable_key": "nope"}]},
     "unknown deliverable 'nope'"),
    ({"payment_schedule": [{"kind": "advance", "percent": "50", "amount": "750"}, {"kind": "final", "percent": "50"}]},
     "either a percent or an amount"),
    ({"payment_schedule": [{"kind": "final", "percent": "50"}, {"kind": "final", "percent": "50"}]},
     "at most one final"),
    ({"fee": {"amount": "10.001", "currency": "EUR"}}, "at most 2 decimal places"),
    ({"fee": {"amount": "100", "currency": "euro"}}, "three-letter ISO 4217"),
])
def test_invalid_terms_say_what_to_fix(override: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        sample_terms(**override)


# ------------------------------------------------------------------------------------------------ clauses


def test_rendering_fills_every_clause_from_the_terms() -> None:
    contract = render_contract(load_template(), sample_terms())
    text = {clause.id: clause.text for clause in contract.clauses}
    assert "Zoë Ñúñez" in text["parties"] and "1 March 2026" in text["parties"]
    assert "EUR 1,500.00" in text["fee"]
    assert "Advance of EUR 450.00 (30%)" in text["payment_schedule"]
    assert "Milestone payment of EUR 600.00 (40%)" in text["payment_schedule"]
    assert "for 6 months" in text["usage_rights"]
    assert "90 days" in text["exclusivity"] and "Glowy" in text["exclusivity"]
    assert "25% of the unpaid fee" in text["cancellation"]
    assert [clause.number for clause in contract.clauses] == list(range(1, len(contract.clauses) + 1))
    assert "{" not in "".join(text.values())  # no placeholder left unfilled


def test_standard_terms_render_with_no_difference() -> None:
    template = load_template()
    standard = render_standard(template, sample_terms())
    assert diff_clauses(standard.clauses, standard.clauses) == []


def test_clause_diff_shows_added_removed_and_changed_clauses() -> None:
    template = load_template()
    terms = sample_terms(
        additional_clauses=[{"title": "Product samples", "text": "The Brand ships samples free of charge."}],
        omitted_clauses=["confidentiality"])
    diffs = {d.clause_id: d for d in diff_clauses(render_standard(template, terms).clauses,
                                                  render_contract(template, terms).clauses)}
    assert diffs["additional_1"].change == ClauseChange.added and diffs["additional_1"].before is None
    assert diffs["confidentiality"].change == ClauseChange.removed and diffs["confidentiality"].after is None
    revisions = diffs["revisions"]
    assert revisions.change == ClauseChange.changed
    assert "[-2-]{+1+}" in revisions.inline
    assert "12" in (diffs["usage_rights"].before or "") and "6 months" in (diffs["usage_rights"].after or "")
    assert {"exclusivity", "cancellation", "payment_schedule"} <= set(diffs)
    for untouched in ("parties", "fee", "deliverables", "disclosure", "governing_law"):
        assert untouched not in diffs  # same deal, standard wording: nothing to review


def test_required_and_unknown_clauses_cannot_be_omitted() -> None:
    from core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="required"):
        render_contract(load_template(), sample_terms(omitted_clauses=["fee"]))
    with pytest.raises(InvalidInput, match="unknown clause"):
        render_contract(load_template(), sample_terms(omitted_clauses=["no-such-clause"]))


def test_inline_diff_marks_words() -> None:
    assert inline_diff("notice of 14 days", "notice of 7 days") == "notice of [-14-]{+7+} days"
    assert inline_diff("a", "a b") == "a{+ b+}"


# ------------------------------------------------------------------------------------------------ PDFs


def test_contract_pdf_is_deterministic_so_its_hash_is_stable() -> None:
    first, second = _contract_pdf(sample_terms()), _contract_pdf(sample_terms())
    assert first.startswith(b"%PDF-") and first == second
    assert sha256_hex(first) == sha256_hex(second) and len(sha256_hex(first)) == 64
    changed = _contract_pdf(sample_terms(revision_rounds=2))
    assert sha256_hex(changed) != sha256_hex(first)


def test_unicode_names_render_and_cjk_falls_back_visibly(caplog: pytest.LogCaptureFixture) -> None:
    terms = sample_terms(creator={"legal_name": "Zoë Ñúñez"}, brand={"legal_name": "王小明 Trading Co"})
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        pdf = _contract_pdf(terms)
    text = _text(pdf)
    assert "Zoë Ñúñez" in text  # DejaVu Sans draws it
    # no CJK font configured: transliteration plus exact code points, never an empty box
    assert "WangXiaoMing [U+738B U+5C0F U+660E] Trading Co" in text
    assert not [record for record in caplog.records if "missing" in record.getMessage()]


def test_drawable_text_keeps_what_the_font_covers() -> None:
    fonts = default_fonts()
    assert drawable_text("Łukasz Żółć, Ørsted, Αλέξης, Дмитрий", fonts) == "Łukasz Żółć, Ørsted, Αλέξης, Дмитрий"
    assert drawable_text("山田 太郎", fonts) == "ShanTian [U+5C71 U+7530] TaiLang [U+592A U+90CE]"
    assert drawable_text("a\x00b\nc", fonts) == "ab\nc"


def _trail(document: bytes) -> AuditTrail:
    return AuditTrail(reference="CTR-0001", document_title="Influencer Marketing Agreement",
                      document_sha256=sha256_hex(document), entries=[
                          SignatureAuditEntry(role="Creator", name="Zoë Ñúñez", email="zoe@example.com",
                                              signed_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
                                              ip_address="203.0.113.7", user_agent="Mozilla/5.0 (X11)",
                                              method="click-to-sign via personal link")])


def test_signed_pdf_appends_an_audit_page_and_carries_the_original_bytes() -> None:
    original = _contract_pdf(sample_terms())
    signed = append_audit_page(original, _trail(original))
    assert signed == append_audit_page(original, _trail(original))  # deterministic too
    reader = PdfReader(io.BytesIO(signed))
    assert len(reader.pages) == len(PdfReader(io.BytesIO(original)).pages) + 1
    audit = reader.pages[-1].extract_text()
    assert sha256_hex(original) in "".join(audit.split())
    assert "203.0.113.7" in audit and "Mozilla/5.0 (X11)" in audit and "2026-03-02 09:30:00" in audit
    assert reader.attachments[ORIGINAL_ATTACHMENT][0] == original


def test_audit_page_refuses_a_document_with_another_hash() -> None:
    original = _contract_pdf(sample_terms())
    changed = _contract_pdf(sample_terms(revision_rounds=3))
    with pytest.raises(ValueError, match="SHA-256"):
        append_audit_page(changed, _trail(original))


def test_invoice_pdf_shows_number_lines_and_total() -> None:
    invoice = InvoiceDocument(
        number="INV-2026-000042", issued_on=date(2026, 3, 5),
        supplier=InvoiceParty("Zoë Ñúñez", email="zoe@example.com"),
        customer=InvoiceParty("Acme Cosmetics Ltd", address="1 High Street, London"),
        lines=[InvoiceLine("Advance (30%) — Spring glow", Money.of("450.00", "EUR")),
               InvoiceLine("Travel costs", Money.of("50.00", "EUR"))],
        contract_reference="CTR-0001", payout_reference="ldg_0123")
    pdf = render_invoice_pdf(invoice)
    assert pdf == render_invoice_pdf(invoice)
    text = _text(pdf)
    for expected in ("INV-2026-000042", "Zoë Ñúñez", "EUR 450.00", "EUR 500.00", "ldg_0123", "CTR-0001"):
        assert expected in text


# ------------------------------------------------------------------------------------------------ storage


async def test_documents_are_stored_content_addressed_and_checked_on_load() -> None:
    storage = MemoryDocumentStorage()
    pdf = _contract_pdf(sample_terms())
    stored = await store_document(storage, "contracts/org-1", pdf)
    assert stored.key == f"contracts/org-1/{sha256_hex(pdf)}.pdf" and stored.size == len(pdf)
    assert await load_document(storage, stored.key, expected_sha256=stored.sha256) == pdf
    storage.objects[stored.key] = (pdf + b"tampered", "application/pdf")
    with pytest.raises(ValueError, match="SHA-256"):
        await load_document(storage, stored.key, expected_sha256=stored.sha256)
