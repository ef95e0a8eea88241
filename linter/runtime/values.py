"""Secret values that cannot leak by accident.

Every value the reference resolver handles is a :class:`SecretValue`. Its
``repr``/``str``/``format`` show a fixed mask, so printing, logging, an
f-string or an exception message never reveals it; the only way to read it
is the explicit :meth:`SecretValue.get_secret_value` (pydantic's
``SecretStr`` convention, which Tracecat uses for the same purpose).
"""

from __future__ import annotations

import hmac
from typing import Final, NoReturn

MASK: Final = "**********"


class SecretValue:
    """A secret string whose text representations are always masked."""

    __slots__ = ("_value", "_placeholder")

    def __init__(self, value: str, *, placeholder: bool = False) -> None:
        if not isinstance(value, str):
            # Only the type: the value itself must never reach a message.
            raise TypeError(f"secret values must be str, not {type(value).__name__}")
        self._value = value
        self._placeholder = placeholder

    @classmethod
    def unset(cls) -> SecretValue:
        """A value that exists but is unknown (inventory lists only key names)."""
        return cls("", placeholder=True)

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"SecretValue('{MASK}')"

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return format(MASK, spec)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SecretValue):
            return NotImplemented
        # Constant time: equality of secrets is itself a small oracle.
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((SecretValue, len(self._value)))

    def __len__(self) -> int:
        return len(self._value)

    def __bool__(self) -> bool:
        # Empty placeholders count as present (the key exists in the store).
        return self._placeholder or bool(self._value)

    def __reduce__(self) -> NoReturn:
        # Pickling would write the value into caches or worker pipes.
        raise TypeError("SecretValue cannot be pickled")

    def __copy__(self) -> SecretValue:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> SecretValue:
        return self


def reveal(value: object) -> object:
    """Unwrap SecretValues inside strings, lists and mappings (for sending a request)."""
    if isinstance(value, SecretValue):
        return value.get_secret_value()
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(reveal(v) for v in value)
    return value


def scrub(text: str, values: object) -> str:
    """``text`` with every secret in ``values`` replaced by the mask.

    Defence in depth for messages built from user-controlled text (URLs,
    header names) that could contain a substituted value.
    """
    secrets = sorted(
        {v.get_secret_value() for v in _iter_values(values) if len(v.get_secret_value()) > 0},
        key=len,
        reverse=True,
    )
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


def _iter_values(values: object) -> list[SecretValue]:
    if isinstance(values, SecretValue):
        return [values]
    if isinstance(values, dict):
        return [v for item in values.values() for v in _iter_values(item)]
    if isinstance(values, (list, tuple, set, frozenset)):
        return [v for item in values for v in _iter_values(item)]
    return []
