"""`assert_no_secrets`: refuse any journal payload that holds a credential-looking value.

The journal outlives the run and may be shared (DynamoDB), so a credential written
there by mistake would leak. Checked on every append and session start: AWS access
key ids (AKIA/ASIA), secret access keys, STS session tokens, fields named like
credentials, and the exact credential values of this process's environment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from v6wizard.errors import SecretInJournal

_ACCESS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")
_SECRET_KEY = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
# STS session tokens are base64 of a protobuf-like blob with a fixed lead-in.
_SESSION_TOKEN = re.compile(r"IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz|AQoDYXdz")
_CREDENTIAL_FIELDS = {
    "secretaccesskey",
    "awssecretaccesskey",
    "secretkey",
    "sessiontoken",
    "awssessiontoken",
    "securitytoken",
    "awssecuritytoken",
}
# Idempotency tokens are random text of any shape by design; they are not credentials.
_RANDOM_TOKEN_FIELDS = {"clienttoken"}
_ENV_SECRETS = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


def _looks_like_secret_key(text: str) -> bool:
    # A secret key mixes cases and digits; hex digests and ids do not.
    for match in _SECRET_KEY.finditer(text):
        word = match.group(0)
        if any(c.islower() for c in word) and any(c.isupper() for c in word) and any(c.isdigit() for c in word):
            return True
    return False


def _walk(node: Any, path: str, key: str) -> Iterator[tuple[str, str, Any]]:
    """(path, key, value) for every dict entry and every list item, depth first."""
    if isinstance(node, BaseModel):
        node = node.model_dump(mode="json")
    yield path, key, node
    if isinstance(node, dict):
        for child_key, value in node.items():
            yield from _walk(value, f"{path}.{child_key}" if path else str(child_key), str(child_key))
    elif isinstance(node, (list, tuple)):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]", key)


def find_secret(obj: Any) -> tuple[str, str] | None:
    """(where, what) of the first credential-looking value in obj, or None."""
    known = [value for name in _ENV_SECRETS if len(value := os.environ.get(name, "")) >= 8]
    for where, key, value in _walk(obj, "", ""):
        normalized = key.replace("_", "").replace("-", "").lower()
        if normalized in _CREDENTIAL_FIELDS and value not in ("", None, {}, []):
            return where or "the payload", f"a field named {key}"
        if not isinstance(value, str):
            continue
        if _ACCESS_KEY_ID.search(value):
            return where or "the payload", "an AWS access key id"
        if _SESSION_TOKEN.search(value):
            return where or "the payload", "an AWS session token"
        if any(secret in value for secret in known):
            return where or "the payload", "this process's AWS credentials"
        if normalized not in _RANDOM_TOKEN_FIELDS and _looks_like_secret_key(value):
            return where or "the payload", "an AWS secret access key"
    return None


def assert_no_secrets(obj: Any) -> None:
    """Raise SecretInJournal if obj (a model, dict, list or str) holds a credential-looking value.

    The message says where, never the value itself.
    """
    found = find_secret(obj)
    if found is not None:
        where, what = found
        raise SecretInJournal(
            f"Refused to write {what} at {where} to the journal; credentials must never be journaled, "
            "so this is a v6wizard bug: please report it."
        )
