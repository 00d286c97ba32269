"""Assume-role and MFA temporary credentials cached in the OS keyring, never in files.

botocore's assume-role provider accepts any dict-like cache. `KeyringCredentialCache`
stores each entry under the keyring service `v6wizard`. On a box with no keyring
backend (a headless server), it says so once and keeps the entries in memory.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

import keyring
import keyring.errors
from keyring.backends import fail

SERVICE = "v6wizard"
log = logging.getLogger(__name__)


class KeyringCredentialCache:
    """A dict-like cache for botocore's assume-role provider, backed by the OS keyring."""

    def __init__(self, warn: Callable[[str], None] | None = None) -> None:
        self._memory: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._warn = warn or log.warning
        self._warned = False
        self._usable = not isinstance(keyring.get_keyring(), fail.Keyring)

    @property
    def uses_keyring(self) -> bool:
        return self._usable

    def _fall_back(self, why: str) -> None:
        self._usable = False
        if not self._warned:
            self._warned = True
            self._warn(f"No OS keyring is available ({why}); temporary AWS credentials stay in memory for this run only.")

    def __contains__(self, key: str) -> bool:
        try:
            self[key]
        except KeyError:
            return False
        return True

    def __getitem__(self, key: str) -> Any:
        with self._lock:
            if key in self._memory:
                return self._memory[key]
            if not self._usable:
                self._fall_back("no backend")
                raise KeyError(key)
            try:
                text = keyring.get_password(SERVICE, key)
            except keyring.errors.KeyringError as exc:
                self._fall_back(str(exc))
                raise KeyError(key) from None
            if text is None:
                raise KeyError(key)
            try:
                value = json.loads(text)
            except ValueError:
                raise KeyError(key) from None
            self._memory[key] = value
            return value

    def __setitem__(self, key: str, value: Any) -> None:
        with self._lock:
            self._memory[key] = value
            if not self._usable:
                self._fall_back("no backend")
                return
            try:
                keyring.set_password(SERVICE, key, json.dumps(value, default=str))
            except keyring.errors.KeyringError as exc:
                self._fall_back(str(exc))

    def __delitem__(self, key: str) -> None:
        with self._lock:
            self._memory.pop(key, None)
            if self._usable:
                try:
                    keyring.delete_password(SERVICE, key)
                except keyring.errors.KeyringError:
                    pass  # already absent: deleting is idempotent
