"""The one way request bodies are read as JSON, by DRF views and plain Django views alike.

Beyond the syntax, a body is refused when it nests deeper than any endpoint needs (deep
nesting exhausts the recursion limit of the decoder, of serializers and of error
formatting) or when a string holds what cannot be stored or encoded: a NUL character
(PostgreSQL text cannot hold it) or an unpaired surrogate (not Unicode text; it cannot
even be encoded back into the error message). Both can only arrive as `\\u` escapes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from rest_framework import parsers

from sascop.core.errors import InvalidInput, MalformedRequest

# The deepest body an endpoint reads is a list of rows of scalars; this leaves ample room.
MAX_DEPTH = 32


def _too_deep_message() -> str:
    return gettext("The JSON body is nested more than %(n)d levels deep.") % {"n": MAX_DEPTH}


_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON value")


def _key(path: tuple[str | int, ...]) -> str:
    if not path:
        return "non_field_errors"
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    # The path may itself hold the offending characters: show them escaped.
    return _UNSTORABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _string_problem(text: str) -> str | None:
    if "\x00" in text:
        return gettext("a NUL character (\\u0000), which cannot be stored")
    surrogate = _SURROGATE.search(text)
    if surrogate:
        return gettext("an unpaired surrogate (U+%(code)s), which is not text") % {
            "code": f"{ord(surrogate.group()):04X}"
        }
    return None


def _first_problem(data: Any) -> tuple[tuple[str | int, ...], str] | None:
    """Where a string (a value or a field name) that cannot be stored is, and why."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if problem := _string_problem(value):
                return path, gettext("Contains %(problem)s.") % {"problem": problem}
        elif isinstance(value, dict):
            for key, item in value.items():
                if problem := _string_problem(key):
                    return (*path, key), gettext("The field name contains %(problem)s.") % {
                        "problem": problem
                    }
                stack.append((item, (*path, key)))
        elif isinstance(value, list):
            stack.extend((item, (*path, index)) for index, item in enumerate(value))
    return None


def _too_deep(data: Any) -> bool:
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth >= MAX_DEPTH:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((item, depth + 1) for item in children if isinstance(item, dict | list))
    return False


def check_json_value(data: Any, *, check_strings: bool = True) -> None:
    """Refuse data nested deeper than MAX_DEPTH (`MalformedRequest`) or holding strings
    with NUL or lone surrogates (`InvalidInput`, naming the field). Walks without recursion,
    so any depth the decoder produced is safe."""
    if isinstance(data, dict | list) and _too_deep(data):
        raise MalformedRequest(_too_deep_message())
    found = _first_problem(data) if check_strings else None
    if found:
        path, message = found
        raise InvalidInput(
            gettext("Text may not contain NUL characters or unpaired surrogates."),
            fields={_key(path): [message]},
        )


def parse_json(raw: bytes | str, encoding: str = "utf-8") -> Any:
    """Decode a JSON request body, raising `MalformedRequest` (or `InvalidInput` for bad
    strings) instead of letting a decoding failure or a RecursionError become a 500."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise MalformedRequest(
                gettext("The request body is not valid %(encoding)s text.") % {"encoding": encoding}
            ) from None
    else:
        text = raw
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise MalformedRequest(_too_deep_message()) from None
    except ValueError as exc:
        raise MalformedRequest(gettext("JSON parse error - %(error)s") % {"error": exc}) from None
    # Strict JSON has no raw control characters and valid UTF-8 no surrogates: NUL and lone
    # surrogates arrive only as these escapes, so without one the strings need no check.
    check_json_value(data, check_strings=_SUSPECT_ESCAPE.search(text) is not None)
    return data


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser reading through `parse_json()`."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        return parse_json(stream.read(), encoding)
