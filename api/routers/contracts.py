"""/contracts: a manager's contracts, the creator's view and signature (login or personal signing link), the
manager's countersignature, the PDF, and the signing page the emailed link opens.

Who may call (`store/contracts/signing.py`): managers of the organization (others' contracts are 404), the creator
through their login, or the holder of a personal signing link (`?token=` to view, `"token"` in the body to sign).
"""

from __future__ import annotations

import html
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import AccountDep, CreatorDep, ManagerDep, SessionDep, authenticate, current_account, oauth2_scheme
from api.integrations import DocumentsDep, ESignDep
from api.pagination import PageDep
from api.schemas.contracts import (
    ClauseOut,
    ContractOut,
    ContractPage,
    ContractSummary,
    CountersignIn,
    ResendOut,
    SignatureOut,
    SignIn,
)
from core.errors import DomainError
from core.money import Money
from store.contracts.issuing import resend_signing_link
from store.contracts.service import ContractService
from store.contracts.signing import (
    CONSENT_TEXT,
    Caller,
    ContractView,
    SignatureIn,
    contract_document,
    countersign_contract,
    creator_contract_document,
    sign_contract,
    view_contract,
)
from store.models import Contract, ContractStatus, SignerRole, User

router = APIRouter(tags=["contracts"])
PDF = "application/pdf"


async def optional_user(session: SessionDep,
                        bearer: Annotated[str | None, Depends(oauth2_scheme)]) -> User | None:
    """The logged-in user, or None for holders of a signing link (no login)."""
    return await current_account(await authenticate(session, bearer), session) if bearer else None


OptionalUserDep = Annotated[User | None, Depends(optional_user)]
TokenQuery = Annotated[str | None, Query(max_length=200, description="the personal signing link's token")]


def _summary(contract: Contract) -> dict[str, Any]:
    return {"id": contract.id, "reference": contract.reference, "status": contract.status,
            "campaign_id": contract.campaign_id, "creator_id": contract.creator_id,
            "negotiation_id": contract.negotiation_id, "fee": Money.model_validate(contract.terms["fee"]),
            "document_sha256": contract.document_sha256, "created_at": contract.created_at,
            "sent_at": contract.sent_at, "signed_at": contract.signed_at,
            "countersigned_at": contract.countersigned_at, "completed_at": contract.completed_at}


def contract_out(view: ContractView) -> ContractOut:
    contract = view.contract
    return ContractOut(
        **_summary(contract), template_id=contract.template_id, template_version=contract.template_version,
        countersignature_required=contract.countersignature_required, issued_on=contract.issued_on,
        signed_document_sha256=contract.signed_document_sha256, terms=contract.terms,
        clauses=[ClauseOut(**clause.model_dump()) for clause in view.clauses],
        signatures=[SignatureOut.model_validate(signature) for signature in view.signatures],
        consent_text=CONSENT_TEXT,
        document_url=f"/contracts/{contract.id}/document" if contract.document_key else None)


def _signature_in(body: CountersignIn, request: Request) -> SignatureIn:
    return SignatureIn(full_name=body.full_name, consent=body.consent, document_sha256=body.document_sha256,
                       ip_address=request.client.host if request.client else None,
                       user_agent=request.headers.get("user-agent"))


def _pdf(name: str, data: bytes) -> Response:
    return Response(data, media_type=PDF, headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.get("/contracts", response_model=ContractPage)
async def list_contracts(principal: ManagerDep, session: SessionDep, page: PageDep,
                         campaign_id: Annotated[uuid.UUID | None, Query()] = None,
                         creator_id: Annotated[uuid.UUID | None, Query()] = None,
                         status: Annotated[ContractStatus | None, Query()] = None) -> Any:
    limit, offset = page.limit, page.offset
    items, total = await ContractService(session).page(principal.organization_id, campaign_id=campaign_id,
                                                       creator_id=creator_id, status=status, limit=limit,
                                                       offset=offset)
    return ContractPage(items=[ContractSummary(**_summary(item)) for item in items], total=total, limit=limit,
                        offset=offset)


@router.get("/contracts/{contract_id}", response_model=ContractOut)
async def get_contract(contract_id: uuid.UUID, session: SessionDep, user: OptionalUserDep,
                       token: TokenQuery = None) -> Any:
    return contract_out(await view_contract(session, contract_id, Caller(user=user, token=token)))


@router.get("/contracts/{contract_id}/document", response_class=Response,
            responses={200: {"content": {PDF: {}}, "description": "the contract PDF"}})
async def get_contract_document(contract_id: uuid.UUID, session: SessionDep, user: OptionalUserDep,
                                documents: DocumentsDep, token: TokenQuery = None,
                                signed: Annotated[bool, Query(description="the signed copy when there is one")] = True,
                                ) -> Response:
    return _pdf(*await contract_document(session, contract_id, Caller(user=user, token=token), signed,
                                         documents=documents))


@router.get("/contracts/{contract_id}/sign", include_in_schema=False)
async def signing_link_page(contract_id: uuid.UUID, session: SessionDep, token: TokenQuery = None) -> Response:
    """The page a personal signing link opens: the contract, and a form to sign it."""
    try:
        view = await view_contract(session, contract_id, Caller(token=token))
    except DomainError as exc:
        return signing_page(None, token, error=exc)
    return signing_page(view, token)


@router.post("/contracts/{contract_id}/sign", response_model=ContractOut)
async def sign(contract_id: uuid.UUID, body: SignIn, request: Request, session: SessionDep,
               user: OptionalUserDep, documents: DocumentsDep, esign: ESignDep) -> Any:
    caller = Caller(user=None if body.token else user, token=body.token)
    return contract_out(await sign_contract(session, contract_id, caller, _signature_in(body, request),
                                            documents=documents, esign=esign))


@router.post("/contracts/{contract_id}/countersign", response_model=ContractOut)
async def countersign(contract_id: uuid.UUID, body: CountersignIn, request: Request, principal: ManagerDep,
                      account: AccountDep, session: SessionDep, documents: DocumentsDep) -> Any:
    return contract_out(await countersign_contract(session, contract_id, account,
                                                   _signature_in(body, request), documents=documents))


@router.post("/contracts/{contract_id}/resend", response_model=ResendOut)
async def resend(contract_id: uuid.UUID, principal: ManagerDep, session: SessionDep, esign: ESignDep) -> Any:
    return ResendOut(channels=await resend_signing_link(session, principal.organization_id, contract_id,
                                                        esign=esign))


@router.get("/creators/me/campaigns/{campaign_id}/contract", response_class=Response, tags=["creator campaigns"],
            responses={200: {"content": {PDF: {}}, "description": "the contract PDF (signed copy once signed)"}})
async def my_contract(campaign_id: uuid.UUID, principal: CreatorDep, account: AccountDep, session: SessionDep,
                      documents: DocumentsDep) -> Response:
    return _pdf(*await creator_contract_document(session, account, campaign_id, documents=documents))


# ---------------------------------------------------------------------------------------------- the signing page
_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>{title}</title></head>
<body style="font-family:sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5">
<h1 style="font-size:1.4rem">{title}</h1>{body}</body></html>"""
_SCRIPT = """<script>
document.getElementById("sign").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target, out = document.getElementById("result");
  const response = await fetch(form.dataset.action, {method: "POST", headers: {"content-type": "application/json"},
    body: JSON.stringify({token: form.dataset.token, document_sha256: form.dataset.sha256,
                          full_name: form.full_name.value, consent: form.consent.checked})});
  const body = await response.json();
  out.textContent = response.ok ? "Signed. Thank you! You can download the signed contract above." : body.message;
  if (response.ok) form.remove();
});
</script>"""


def signing_page(view: ContractView | None, token: str | None, error: DomainError | None = None) -> HTMLResponse:
    if view is None:
        message = error.message if error else "This signing link is not valid."
        return HTMLResponse(_PAGE.format(title="Contract", body=f"<p>{html.escape(message)}</p>"),
                            status_code=error.status_code if error else 404)
    contract, escape = view.contract, html.escape
    link = f"/contracts/{contract.id}/document?token={escape(token or '', quote=True)}"
    parts = [f"<p>Reference {escape(contract.reference)} · status <b>{escape(str(contract.status))}</b> · "
             f'<a href="{link}&amp;signed=false">PDF</a>'
             + (f' · <a href="{link}">signed PDF</a>' if contract.signed_document_key else "") + "</p>",
             f"<p style=\"font-size:.8rem;color:#555\">Document SHA-256: {escape(contract.document_sha256 or '')}</p>"]
    parts += [f"<h3 style=\"font-size:1rem\">{clause.number}. {escape(clause.title)}</h3>"
              f"<p style=\"white-space:pre-wrap\">{escape(clause.text)}</p>" for clause in view.clauses]
    parts += [f"<p>Signed by {escape(signature.signer_name)} ({escape(str(signature.role))}) on "
              f"{signature.signed_at:%Y-%m-%d %H:%M} UTC</p>" for signature in view.signatures]
    creator_signed = any(signature.role == SignerRole.creator for signature in view.signatures)
    if contract.status == ContractStatus.awaiting_signature and not creator_signed:
        parts.append(
            f'<form id="sign" data-action="/contracts/{contract.id}/sign" '
            f'data-token="{escape(token or "", quote=True)}" data-sha256="{escape(contract.document_sha256 or "")}">'
            '<p><label>Your full name <input name="full_name" required minlength="2" maxlength="200"></label></p>'
            f'<p><label><input type="checkbox" name="consent" required> {escape(CONSENT_TEXT)}</label></p>'
            '<p><button type="submit" style="font-size:1rem;padding:.5rem 1rem">Sign</button></p></form>'
            '<p id="result" role="status"></p>' + _SCRIPT)
    title = f"Contract {contract.reference}"
    return HTMLResponse(_PAGE.format(title=escape(title), body="\n".join(parts)))
