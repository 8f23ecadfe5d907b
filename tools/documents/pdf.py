"""PDF documents (fpdf2): contracts, the signature audit page, invoices; and their SHA-256.

Output is deterministic: the same input gives the same bytes (the creation date is the document's issue date, not
the clock), so a document's hash is stable and a re-render can be compared with what was signed. Every dynamic
string goes through `fonts.drawable_text` (Unicode body font, optional fallbacks, never an empty box).

The audit page is appended to the exact bytes that were signed (`append_audit_page` refuses bytes whose SHA-256
differs from the hash on the audit trail) with pypdf, which keeps the original pages unchanged; those original bytes
are also attached to the signed PDF (`signed-document.pdf`), so the signed hash can be verified by anyone.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from pypdf import PdfWriter

from store.contracts.template import RenderedContract, format_date
from store.contracts.terms import ContractTerms
from store.invoices.document import InvoiceDocument
from tools.documents.fonts import FontSet, default_fonts, drawable_text

_BODY = "body"
ORIGINAL_ATTACHMENT = "signed-document.pdf"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Document(FPDF):
    """A4 page with margins, the Unicode body font and a footer line on every page."""

    def __init__(self, *, title: str, subject: str, author: str, issued_on: date, footer: str,
                 fonts: FontSet | None = None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.font_set = fonts or default_fonts()
        self.footer_text = drawable_text(footer, self.font_set)
        self.add_font(_BODY, "", str(self.font_set.regular))
        self.add_font(_BODY, "B", str(self.font_set.bold))
        fallback_names = []
        for index, path in enumerate(self.font_set.fallbacks):
            self.add_font(f"fallback{index}", "", str(path))
            fallback_names.append(f"fallback{index}")
        if fallback_names:
            self.set_fallback_fonts(fallback_names, exact_match=False)
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_creation_date(datetime.combine(issued_on, time(0), UTC))
        self.set_title(drawable_text(title, self.font_set))
        self.set_subject(drawable_text(subject, self.font_set))
        self.set_author(drawable_text(author, self.font_set))
        self.set_creator("Influency")
        self.set_lang("en")
        self.add_page()

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(_BODY, "", 8)
        self.set_text_color(110)
        self.cell(0, 6, f"{self.footer_text}  ·  page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: float = 16) -> None:
        self.set_font(_BODY, "B", size)
        self.multi_cell(0, size * 0.5, drawable_text(text, self.font_set), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def paragraph(self, text: str, size: float = 10, bold: bool = False, gap: float = 2.5) -> None:
        self.set_font(_BODY, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, drawable_text(text, self.font_set), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    def pairs(self, rows: Sequence[tuple[str, str]], label_width: float = 45) -> None:
        """Label/value rows, e.g. the key terms or invoice header."""
        self.set_font(_BODY, "", 10)
        with self.table(col_widths=(label_width, 170 - label_width), first_row_as_headings=False,
                        line_height=5.5, padding=1.5) as table:
            for label, value in rows:
                row = table.row()
                row.cell(drawable_text(label, self.font_set))
                row.cell(drawable_text(value, self.font_set))
        self.ln(4)

    def to_bytes(self) -> bytes:
        return bytes(self.output())


# -------------------------------------------------------------------------------------------------- contract


def render_contract_pdf(contract: RenderedContract, terms: ContractTerms, *, reference: str,
                        issued_on: date) -> bytes:
    pdf = _Document(title=contract.title, subject=f"{terms.campaign_name}: {terms.brand.legal_name} and "
                    f"{terms.creator.legal_name}", author=terms.brand.legal_name, issued_on=issued_on,
                    footer=f"{contract.title} {reference}  ·  template {contract.template_id} "
                           f"v{contract.template_version}")
    pdf.heading(contract.title)
    pdf.paragraph(f"Reference {reference}  ·  issued {format_date(issued_on)}", size=9)
    pdf.pairs([
        ("Brand", terms.brand.legal_name),
        ("Creator", terms.creator.legal_name),
        ("Campaign", terms.campaign_name),
        ("Effective date", format_date(terms.effective_date)),
        ("Total fee", terms.fee.format()),
    ])
    for clause in contract.clauses:
        pdf.paragraph(f"{clause.number}. {clause.title}", size=11, bold=True, gap=1)
        pdf.paragraph(clause.text)
    pdf.ln(4)
    pdf.paragraph("Signatures", size=11, bold=True, gap=1)
    creator_signatory = terms.creator.signatory_name or terms.creator.legal_name
    pdf.paragraph(f"For the Creator: {creator_signatory}, signed electronically; see the signature audit page.")
    if contract.countersignature_required:
        brand_signatory = terms.brand.signatory_name or "an authorised representative"
        pdf.paragraph(f"For the Brand: {brand_signatory}, countersigned electronically; see the signature "
                      "audit page.")
    else:
        pdf.paragraph("For the Brand: accepted by issuing this Agreement; no countersignature is required.")
    return pdf.to_bytes()


# -------------------------------------------------------------------------------------------------- audit page


@dataclass(frozen=True)
class SignatureAuditEntry:
    role: str  # "Creator", "Brand (countersignature)"
    name: str
    email: str
    signed_at: datetime
    ip_address: str | None
    user_agent: str | None
    method: str  # e.g. "click-to-sign via personal link"


@dataclass(frozen=True)
class AuditTrail:
    reference: str
    document_title: str
    document_sha256: str  # of the unsigned document the signers saw
    entries: list[SignatureAuditEntry] = field(default_factory=list)


def render_audit_page(trail: AuditTrail) -> bytes:
    issued_on = max((entry.signed_at for entry in trail.entries), default=datetime(1970, 1, 1, tzinfo=UTC)).date()
    pdf = _Document(title=f"Signature audit: {trail.document_title}", subject=trail.reference,
                    author="Influency", issued_on=issued_on, footer=f"Signature audit  ·  {trail.reference}")
    pdf.heading("Signature audit trail", size=14)
    pdf.pairs([("Document", trail.document_title), ("Reference", trail.reference),
               ("Document SHA-256", trail.document_sha256)], label_width=40)
    for entry in trail.entries:
        pdf.paragraph(entry.role, size=11, bold=True, gap=1)
        pdf.pairs([
            ("Signed by", f"{entry.name} <{entry.email}>"),
            ("Signed at (UTC)", entry.signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")),
            ("IP address", entry.ip_address or "not recorded"),
            ("User agent", entry.user_agent or "not recorded"),
            ("Method", entry.method),
        ], label_width=40)
    pdf.paragraph("The pages before this one reproduce the document whose SHA-256 is shown above; each signer "
                  "confirmed that exact version. Its original bytes are attached to this PDF as "
                  f"{ORIGINAL_ATTACHMENT}, so anyone can recompute the hash.", size=8)
    return pdf.to_bytes()


def append_audit_page(signed_document: bytes, trail: AuditTrail) -> bytes:
    """The signed PDF: the original pages followed by the audit page."""
    if sha256_hex(signed_document) != trail.document_sha256:
        raise ValueError("the audit trail names another document: its SHA-256 does not match these bytes")
    writer = PdfWriter(clone_from=io.BytesIO(signed_document))
    writer.append(io.BytesIO(render_audit_page(trail)))
    writer.add_attachment(ORIGINAL_ATTACHMENT, signed_document)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


# -------------------------------------------------------------------------------------------------- invoice


def render_invoice_pdf(invoice: InvoiceDocument) -> bytes:
    if not invoice.lines:
        raise ValueError("an invoice needs at least one line")
    pdf = _Document(title=f"{invoice.title} {invoice.number}", subject=invoice.contract_reference,
                    author=invoice.customer.name, issued_on=invoice.issued_on,
                    footer=f"{invoice.title} {invoice.number}")
    pdf.heading(f"{invoice.title} {invoice.number}")
    pdf.pairs([
        ("Issued", format_date(invoice.issued_on)),
        ("From", invoice.supplier.lines()),
        ("To", invoice.customer.lines()),
        ("Contract", invoice.contract_reference),
        *([("Payout reference", invoice.payout_reference)] if invoice.payout_reference else []),
    ])
    pdf.set_font(_BODY, "", 10)
    with pdf.table(col_widths=(125, 45), text_align=("LEFT", "RIGHT"), line_height=6, padding=1.5) as table:
        header = table.row()
        header.cell("Description")
        header.cell("Amount")
        for line in invoice.lines:
            row = table.row()
            row.cell(drawable_text(line.description, pdf.font_set))
            row.cell(line.amount.format())
        total = table.row()
        total.cell("Total")
        total.cell(invoice.total.format())
    return pdf.to_bytes()
