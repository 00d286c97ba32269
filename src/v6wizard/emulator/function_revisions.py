"""A function's RevisionId as AWS keeps it, where moto 5.2.5 has none (a correction, always on).

AWS returns a RevisionId for $LATEST in GetFunction, GetFunctionConfiguration and every
update, gives it a new one on every configuration or code update, and refuses an update
whose `RevisionId` is not the current one with a 412 `PreconditionFailedException`.
moto returns none and ignores the parameter. `--sdk-endpoints` relies on the condition
(its read-modify-write of the environment), so the emulator keeps the ids here.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable

from v6wizard.emulator.strict_lambda import function_name
from v6wizard.emulator.wsgi import Answer, Call, Layer, rest_json_error

_UPDATES = frozenset({"UpdateFunctionConfiguration", "UpdateFunctionCode"})
_READS = frozenset({"GetFunction", "GetFunctionConfiguration", "CreateFunction"})


class FunctionRevisions(Layer):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._revisions: dict[tuple[str, str, str], str] = {}

    def reset(self) -> None:
        with self._lock:
            self._revisions.clear()

    def _current(self, key: tuple[str, str, str]) -> str:
        return self._revisions.setdefault(key, str(uuid.uuid4()))

    def handle(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        if call.service != "lambda" or call.operation not in _UPDATES | _READS:
            return None
        name = call.params.get("FunctionName", "") if call.operation == "CreateFunction" else function_name(call)
        key = (call.account, call.region, name)
        if call.operation in _READS:
            if call.operation != "CreateFunction" and call.query.get("Qualifier", "$LATEST") != "$LATEST":
                return None
            answer = downstream()
            if not answer.ok:
                return answer
            with self._lock:
                if call.operation == "CreateFunction":
                    self._revisions[key] = str(uuid.uuid4())
                revision = self._current(key)
            return _with_revision(answer, revision)
        with self._lock:  # the check and the rotation must not interleave with another update's
            wanted = call.params.get("RevisionId")
            if wanted and wanted != self._current(key):
                return rest_json_error(
                    "PreconditionFailedException",
                    "The Revision Id provided does not match the latest Revision Id. "
                    "Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
                    412,
                )
            answer = downstream()
            if not answer.ok:
                return answer
            self._revisions[key] = revision = str(uuid.uuid4())
        return _with_revision(answer, revision)


def _with_revision(answer: Answer, revision: str) -> Answer:
    document = answer.json()
    config = document.get("Configuration", document)
    config["RevisionId"] = revision
    return answer.with_body(json.dumps(document))
