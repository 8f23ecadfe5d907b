"""Request dependencies that build the integrations domain services take as arguments (their `Protocol`s are
declared in `store/`, the implementations live in `tools/`): contract documents (PDF + file storage), the
e-signature provider and the payment provider. Routers pass them to the service; they never call `tools/` rules."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends

from api.deps import SessionDep
from store.contracts.documents import ContractDocuments
from store.payments.provider import PaymentProvider
from store.signing.provider import ESignatureProvider
from tools.documents.contract_files import contract_documents
from tools.esign.factory import esign_provider
from tools.payments.factory import payment_provider


def _documents() -> ContractDocuments:
    return contract_documents()


def _esign(session: SessionDep) -> ESignatureProvider:
    return esign_provider(session)  # click-to-sign keeps its tokens in the request's transaction


async def _payments(session: SessionDep) -> AsyncIterator[PaymentProvider]:
    provider = payment_provider(session)  # the ledger writes in the request's transaction
    try:
        yield provider
    finally:
        await provider.aclose()


DocumentsDep = Annotated[ContractDocuments, Depends(_documents)]
ESignDep = Annotated[ESignatureProvider, Depends(_esign)]
PaymentProviderDep = Annotated[PaymentProvider, Depends(_payments, scope="function")]
