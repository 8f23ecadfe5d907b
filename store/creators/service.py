"""Creator profiles: who may see which creator, listing, self-service edits, agency imports, portfolio records.

Flushes only; the caller's unit of work commits. Visibility: managers see the shared directory (registered and
seeded creators) plus the prospects their own organization imported; admins see everything; a creator sees
their own profile. Anything else is 404, never 403, so ids of other tenants' prospects leak nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from core.settings import get_settings
from store.creators.email_change import cancel_email_change, request_email_change
from store.creators.importing import ParsedRows, RowError
from store.creators.profile import derived_columns, embedding_text, platforms_of, text_hash
from store.creators.repository import SORTS, CreatorRepository
from store.creators.validation import CreatorProfileData, invalid_profile, payout_account
from store.creators.visibility import creator_not_found, is_visible, visible_to
from store.models import Creator, CreatorSource, PortfolioItem

MAX_PAGE = 100
MAX_LIST_OFFSET = 10_000


@dataclass(frozen=True)
class Viewer:
    """Who is asking, as the service needs it (built from the API principal or a job's context)."""

    user_id: uuid.UUID | None
    organization_id: uuid.UUID | None
    is_admin: bool = False
    is_creator: bool = False  # creators see only their own profile

    def visibility(self) -> ColumnElement[bool]:
        return visible_to(self.organization_id, everything=self.is_admin)

    def may_see(self, creator: Creator) -> bool:
        if self.is_creator:
            return creator.user_id is not None and creator.user_id == self.user_id
        return self.is_admin or is_visible(creator, self.organization_id)


@dataclass(frozen=True)
class CreatorPage:
    items: list[Creator]
    limit: int
    offset: int
    next_offset: int | None


@dataclass(frozen=True)
class DuplicateRow:
    row: int
    creator_id: uuid.UUID
    matched_on: str  # "instagram:cleo" or an email


@dataclass
class ImportReport:
    total_rows: int
    imported: int = 0
    created_ids: list[uuid.UUID] = field(default_factory=list)
    duplicates: list[DuplicateRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    embedding_jobs: int = 0

    @property
    def blocked(self) -> bool:
        """True when errors stopped the import (nothing was written)."""
        return bool(self.errors) and self.imported == 0


def creator_row(data: CreatorProfileData, **extra: Any) -> dict[str, Any]:
    """Column values of a new creator (derived columns included) for bulk inserts."""
    values = data.columns()
    values.update(derived_columns(display_name=data.display_name, categories=data.categories,
                                  audience=values["audience"], rates=data.rates, currency=data.currency,
                                  country=data.country, languages=data.languages))
    values["content_hash"] = text_hash(embedding_text(
        bio=data.bio, categories=data.categories, platforms=platforms_of(values["audience"]), city=data.city,
        country=data.country, languages=data.languages))
    now = datetime.now(UTC)
    return {"id": uuid.uuid4(), "created_at": now, "updated_at": now, **values, **extra}


def _contact_keys(data: CreatorProfileData) -> list[str]:
    """"platform:handle" keys and the email (emails never contain ':' outside quoted local parts)."""
    keys = [f"{platform}:{stats.handle.lower()}" for platform, stats in data.audience.items() if stats.handle]
    return keys + ([data.email.lower()] if data.email else [])


class CreatorService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.creators = CreatorRepository(session)

    async def get_visible(self, creator_id: uuid.UUID, viewer: Viewer) -> Creator:
        creator = await self.creators.get(creator_id)
        if creator is None or not viewer.may_see(creator):
            raise creator_not_found()
        return creator

    async def list_page(self, viewer: Viewer, *, sort: str = "-created_at", limit: int = 20, offset: int = 0
                   ) -> CreatorPage:
        problems = []
        if sort.lstrip("-") not in SORTS:
            problems.append({"field": "sort", "message": f"use one of {', '.join(sorted(SORTS))}, "
                                                         "with a leading '-' for descending"})
        if not 1 <= limit <= MAX_PAGE:
            problems.append({"field": "limit", "message": f"must be between 1 and {MAX_PAGE}"})
        if not 0 <= offset <= MAX_LIST_OFFSET:
            problems.append({"field": "offset", "message": f"must be between 0 and {MAX_LIST_OFFSET}"})
        if problems:
            raise InvalidInput("; ".join(f"{p['field']}: {p['message']}" for p in problems), details=problems)
        rows = await self.creators.page(viewer.visibility(), sort, limit + 1, offset)
        return CreatorPage(rows[:limit], limit, offset, offset + limit if len(rows) > limit else None)

    async def my_profile(self, user_id: uuid.UUID, *, for_update: bool = False) -> Creator:
        creator = await self.creators.get_by_user(user_id, for_update=for_update)
        if creator is None:
            raise NotFound("This account has no creator profile", code="creator_not_found")
        return creator

    async def update_my_profile(self, user_id: uuid.UUID, changes: dict[str, Any]) -> Creator:
        """Apply the given fields (others keep their value); the merged profile must be valid as a whole. A new
        email is only pending until confirmed (`pending_email`).

        The flush hook re-derives the filter columns and, when the embedded text changed, enqueues
        `creators.embed` in this transaction.
        """
        creator = await self.my_profile(user_id)
        changes = dict(changes)
        if "payout_account" in changes:  # the creator's own; not part of the profile an import can set
            creator.payout_account = payout_account(changes.pop("payout_account"), get_settings().PAYMENT_PROVIDER)
        current = {name: getattr(creator, name) for name in CreatorProfileData.model_fields}
        try:
            merged = CreatorProfileData.model_validate(current | changes)
        except ValidationError as exc:
            raise invalid_profile(exc) from exc
        columns = merged.columns()
        if "email" in changes:
            await self._change_email(creator, columns.pop("email"))
        else:
            columns.pop("email")
        for name, value in columns.items():
            setattr(creator, name, value)
        await self.session.flush()
        await self.session.refresh(creator)  # server-side updated_at, without lazy loads later
        return creator

    async def _change_email(self, creator: Creator, new_email: str | None) -> None:
        """A new address waits for confirmation through a link sent to it (`email_change.py`); removing the
        address, or going back to the current one, takes effect at once and drops any pending change."""
        if new_email and (creator.email or "").lower() != new_email.lower():
            if (creator.pending_email or "").lower() != new_email.lower():  # a repeated PUT sends no second link
                await request_email_change(self.session, creator, new_email)
            return
        cancel_email_change(creator)
        creator.email = new_email

    async def import_rows(self, parsed: ParsedRows, *, organization_id: uuid.UUID | None = None,
                          skip_invalid: bool = False) -> ImportReport:
        """Insert validated rows as one batch; with any invalid row nothing is written unless `skip_invalid`.

        Rows matching a creator already visible to the importer (same platform handle or email) are reported as
        duplicates and skipped; two rows of the file claiming the same handle or email are an error.
        """
        report = ImportReport(total_rows=parsed.total, errors=list(parsed.errors))
        first_row: dict[str, int] = {}
        rows: list[tuple[int, CreatorProfileData]] = []
        for number, data in parsed.valid:
            clash = next((key for key in _contact_keys(data) if key in first_row), None)
            if clash is not None:
                report.errors.append(RowError(number, "handle" if ":" in clash else "email",
                                              f"{clash} already appears in row {first_row[clash]}"))
                continue
            first_row.update({key: number for key in _contact_keys(data)})
            rows.append((number, data))
        report.errors.sort(key=lambda error: error.row)
        if report.errors and not skip_invalid:
            return report

        handles = [f"{p}:{s.handle.lower()}" for _, data in rows for p, s in data.audience.items() if s.handle]
        emails = [data.email.lower() for _, data in rows if data.email]
        existing = await self.creators.existing_contacts(handles, emails, visible_to(organization_id))
        new_rows = []
        for number, data in rows:
            match = next((key for key in _contact_keys(data) if key in existing), None)
            if match is not None:
                report.duplicates.append(DuplicateRow(number, existing[match], match))
                continue
            new_rows.append(creator_row(data, source=CreatorSource.imported,
                                        imported_by_organization_id=organization_id, user_id=None))
        await self.creators.insert_many(new_rows)
        report.created_ids = [row["id"] for row in new_rows]
        report.imported = len(new_rows)
        report.embedding_jobs = await self.creators.enqueue_embedding(
            report.created_ids, f"import:{uuid.uuid4().hex[:12]}", get_settings().EMBEDDING_BATCH_SIZE)
        return report

    async def add_portfolio_item(self, creator: Creator, *, storage_key: str, content_type: str, size_bytes: int,
                                 original_filename: str, title: str) -> PortfolioItem:
        return await self.creators.add_portfolio_item(PortfolioItem(
            creator_id=creator.id, storage_key=storage_key, content_type=content_type, size_bytes=size_bytes,
            original_filename=original_filename, title=title))

    async def storage_used(self, creator: Creator) -> int:
        """Bytes of every file the creator uploaded (their quota's use)."""
        return await self.creators.portfolio_bytes(creator.id)

    async def portfolio(self, creator: Creator) -> list[PortfolioItem]:
        return await self.creators.portfolio(creator.id)

    async def portfolio_item(self, creator: Creator, item_id: uuid.UUID) -> PortfolioItem:
        item = await self.creators.portfolio_item(creator.id, item_id)
        if item is None:
            raise NotFound("Portfolio item not found", code="portfolio_item_not_found")
        return item
