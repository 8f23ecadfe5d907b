"""Column helpers for the agent-core tables.

Enumerations are stored as VARCHAR (`native_enum=False`) so a later module can add a value (a message status,
an approval kind) without an `ALTER TYPE`; the Python enum still validates what we write.
"""

from __future__ import annotations

import enum

from sqlalchemy import Enum


def str_enum(enum_class: type[enum.StrEnum], length: int = 32) -> Enum:
    return Enum(enum_class, native_enum=False, length=length, validate_strings=True,
                values_callable=lambda members: [member.value for member in members])
