"""Versioned prompt registry: every prompt is a data file `prompts/<id>/<version>.md`, never a string in code.

A file starts with a small front-matter header and is split into named sections (a line `## <name>`, lowercase
identifier), e.g. `system`, `user`, and offline templates such as `offline_body`:

    ---
    id: reply_intent
    version: v1
    description: classify a creator's reply
    ---
    ## system
    You classify ...
    ## user
    <reply>{{ reply }}</reply>

`{{ name }}` placeholders are filled by `render()`; a missing value is an error (a silently empty prompt would
be worse). `load_prompt(id)` returns the highest version unless one is asked for; outputs record `id`/`version`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
_SECTION = re.compile(r"^## ([a-z][a-z0-9_]*)\s*$", re.M)
_PLACEHOLDER = re.compile(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")


class PromptError(LookupError):
    """A prompt or a version or a section does not exist, or a placeholder has no value."""


@dataclass(frozen=True)
class PromptTemplate:
    id: str
    version: str
    description: str
    sections: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)

    def has(self, section: str) -> bool:
        return section in self.sections

    def render(self, section: str, **values: object) -> str:
        """One section with its `{{ placeholders }}` filled (values are converted with `str`)."""
        if section not in self.sections:
            raise PromptError(f"prompt {self.id}/{self.version} has no section {section!r}")

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in values:
                raise PromptError(f"prompt {self.id}/{self.version} section {section!r} needs {name!r}")
            return str(values[name])

        return _PLACEHOLDER.sub(fill, self.sections[section]).strip()

    def messages(self, **values: object) -> list[BaseMessage]:
        """The chat messages for a model call: the `system` section, then the `user` section."""
        return [SystemMessage(self.render("system", **values)), HumanMessage(self.render("user", **values))]


def parse_prompt(text: str, *, source: str = "<string>") -> PromptTemplate:
    if not text.startswith("---"):
        raise PromptError(f"{source}: a prompt file starts with a '---' front-matter header")
    try:
        _, header, body = text.split("---", 2)
    except ValueError:
        raise PromptError(f"{source}: unterminated front-matter header") from None
    meta: dict[str, str] = {}
    for line in header.strip().splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            raise PromptError(f"{source}: front-matter line {line!r} is not 'key: value'")
        meta[key.strip()] = value.strip()
    for required in ("id", "version"):
        if not meta.get(required):
            raise PromptError(f"{source}: front matter needs {required!r}")
    parts = _SECTION.split(body)
    sections = {parts[i]: parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2)}
    return PromptTemplate(id=meta["id"], version=meta["version"], description=meta.get("description", ""),
                          sections=sections, meta=meta)


def _version_key(version: str) -> tuple[int, str]:
    digits = re.sub(r"\D", "", version)
    return (int(digits) if digits else -1, version)


def list_prompts(root: Path = PROMPTS_DIR) -> dict[str, list[str]]:
    """Every prompt id with its versions, oldest first."""
    return {folder.name: sorted((p.stem for p in folder.glob("*.md")), key=_version_key)
            for folder in sorted(root.iterdir()) if folder.is_dir()}


@lru_cache(maxsize=128)
def load_prompt(prompt_id: str, version: str | None = None, root: Path = PROMPTS_DIR) -> PromptTemplate:
    """The prompt `prompt_id` at `version` (default: the highest version on disk)."""
    versions = list_prompts(root).get(prompt_id)
    if not versions:
        raise PromptError(f"no prompt {prompt_id!r} in {root}")
    chosen = version or versions[-1]
    if chosen not in versions:
        raise PromptError(f"prompt {prompt_id!r} has no version {chosen!r} (has {', '.join(versions)})")
    path = root / prompt_id / f"{chosen}.md"
    template = parse_prompt(path.read_text(encoding="utf-8"), source=str(path))
    if (template.id, template.version) != (prompt_id, chosen):
        raise PromptError(f"{path}: header says {template.id}/{template.version}")
    return template


def fenced(text: str, tag: str) -> str:
    """Untrusted text fenced in `<tag>…</tag>` so the prompt can tell the model it is data; a closing tag inside
    the text is defused so the text cannot end the fence early."""
    return f"<{tag}>\n{text.replace(f'</{tag}>', f'</ {tag}>')}\n</{tag}>"
