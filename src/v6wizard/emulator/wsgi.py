"""What a layer needs to read a request to moto and write an AWS-shaped answer.

`Call.of(environ)` reads (and puts back) the body and names the call as botocore
would: service, region, account, operation and its parameters, for the three
protocols the product speaks (EC2 query, CloudWatch JSON, Lambda REST-JSON).
`forward` runs the next app and captures its answer so a layer can rewrite it;
`ec2_error`, `json_error` and `rest_json_error` build AWS's error shapes.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import urllib.parse
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from v6wizard.emulator.server import WsgiApp

StartResponse = Callable[..., Any]

_SIGNING_TO_SERVICE = {"monitoring": "cloudwatch"}
"""botocore's service name where the SigV4 signing name differs."""

_CREDENTIAL = re.compile(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/")


@dataclass
class Answer:
    """A captured WSGI response that a layer may rewrite before it is sent."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"{}")

    def text(self) -> str:
        return self.body.decode("utf-8")

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def with_body(self, body: bytes | str) -> Answer:
        data = body.encode("utf-8") if isinstance(body, str) else body
        return Answer(self.status, list(self.headers), data)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def send(self, start_response: StartResponse) -> Iterable[bytes]:
        headers = [(k, v) for k, v in self.headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(self.body))))
        start_response(f"{self.status} {_reason(self.status)}", headers)
        return [self.body]


@dataclass
class Call:
    """One request to the emulator, named the way botocore names it."""

    environ: dict[str, Any]
    method: str
    path: str
    query: dict[str, str]
    body: bytes
    service: str = ""
    region: str = "us-east-1"
    access_key: str = ""
    operation: str = ""
    protocol: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    """Query protocol: the flat form fields; JSON protocols: the decoded body."""
    path_params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, environ: dict[str, Any]) -> Call:
        body = _read_body(environ)
        query = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        call = cls(environ, environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/"), query, body)
        call._name()
        return call

    @property
    def account(self) -> str:
        from moto.iam.models import get_account_id_from

        return get_account_id_from(self.access_key or "AKIAEXAMPLE")

    def flag(self, name: str) -> bool:
        """A boolean query-protocol parameter (e.g. DryRun)."""
        return str(self.params.get(name, "")).lower() == "true"

    def replace_json(self, params: dict[str, Any]) -> None:
        """Send `params` downstream instead of the original JSON body."""
        self.params = params
        self.body = json.dumps(params).encode("utf-8")
        self.environ["wsgi.input"] = io.BytesIO(self.body)
        self.environ["CONTENT_LENGTH"] = str(len(self.body))

    def _name(self) -> None:
        if self.path.startswith("/moto-api"):
            self.service, self.operation, self.protocol = "moto-api", self.path, "moto"
            return
        found = _CREDENTIAL.search(self.environ.get("HTTP_AUTHORIZATION", ""))
        if found:
            self.access_key, self.region = found.group(1), found.group(2)
            self.service = _SIGNING_TO_SERVICE.get(found.group(3), found.group(3))
        target = self.environ.get("HTTP_X_AMZ_TARGET", "")
        content_type = self.environ.get("CONTENT_TYPE", "")
        if target:
            self.protocol, self.operation = "json", target.rsplit(".", 1)[-1]
            self.params = _json_or_empty(self.body)
        elif "x-www-form-urlencoded" in content_type or "Action" in self.query:
            form = dict(urllib.parse.parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))
            self.params = {**self.query, **form}
            self.operation = self.params.get("Action", "")
            self.protocol = "ec2" if self.service == "ec2" else "query"
        elif self.service:
            self.protocol = "rest-json"
            matched = _match_rest(self.service, self.method, self.path, self.query)
            if matched is not None:
                self.operation, self.path_params = matched
            self.params = _json_or_empty(self.body)


def current(environ: dict[str, Any]) -> Call:
    """The Call the control layer already parsed for this request, or a fresh parse."""
    call = environ.get("v6wizard.call")
    if call is None:
        call = environ["v6wizard.call"] = Call.of(environ)
    return call


class Layer:
    """A middleware that may answer a call itself, or rewrite moto's answer.

    Subclasses implement `handle(call, downstream)`: return an Answer (their own, or
    `downstream()` rewritten), or None to let the request pass through untouched.
    """

    def handle(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget per-account state (called on moto's reset)."""

    def __call__(self, app: WsgiApp) -> WsgiApp:
        def layer(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            answer = self.handle(current(environ), lambda: forward(app, environ))
            if answer is None:
                return app(environ, start_response)
            return answer.send(start_response)

        return layer


def forward(app: WsgiApp, environ: dict[str, Any]) -> Answer:
    """Run the next app and capture its whole answer."""
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        captured["status"], captured["headers"] = status, list(headers)
        return lambda _data: None

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return Answer(int(captured["status"].split(" ", 1)[0]), captured["headers"], body)


def ec2_error(code: str, message: str, status: int = 400) -> Answer:
    """EC2's query-protocol error document."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Response><Errors><Error><Code>{_xml(code)}</Code><Message>{_xml(message)}</Message></Error></Errors>"
        f"<RequestID>{uuid.uuid4()}</RequestID></Response>"
    )
    return Answer(status, [("Content-Type", "text/xml")], body.encode("utf-8"))


def query_error(code: str, message: str, status: int = 400) -> Answer:
    """The query-protocol error document of IAM, STS and friends."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<ErrorResponse><Error><Type>Sender</Type><Code>{_xml(code)}</Code><Message>{_xml(message)}</Message></Error>"
        f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    )
    return Answer(status, [("Content-Type", "text/xml")], body.encode("utf-8"))


def json_error(code: str, message: str, status: int = 400) -> Answer:
    """The JSON-1.0 error of CloudWatch (with the query-compatible error header botocore reads)."""
    body = json.dumps({"__type": code, "message": message})
    headers = [("Content-Type", "application/x-amz-json-1.0"), ("x-amzn-query-error", f"{code};Sender")]
    return Answer(status, headers, body.encode("utf-8"))


def rest_json_error(code: str, message: str, status: int = 400, **extra: Any) -> Answer:
    """Lambda's REST-JSON error: the code in x-amzn-ErrorType, the message in the body."""
    body = json.dumps({"Type": "User", "message": message, **extra})
    headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", code), ("x-amzn-RequestId", str(uuid.uuid4()))]
    return Answer(status, headers, body.encode("utf-8"))


def error_for(call: Call, code: str, message: str, status: int) -> Answer:
    """AWS's error shape for the protocol `call` came in on."""
    if call.protocol == "ec2":
        return ec2_error(code, message, status)
    if call.protocol == "query":
        return query_error(code, message, status)
    if call.protocol == "json":
        return json_error(code, message, status)
    return rest_json_error(code, message, status)


def json_answer(payload: Any, status: int = 200) -> Answer:
    headers = [("Content-Type", "application/json"), ("x-amzn-RequestId", str(uuid.uuid4()))]
    return Answer(status, headers, json.dumps(payload).encode("utf-8"))


def _json_or_empty(body: bytes) -> dict[str, Any]:
    """The decoded JSON object, or {} for an empty or non-JSON body (moto answers those itself)."""
    try:
        value = json.loads(body or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    stream = environ.get("wsgi.input")
    body = stream.read(length) if stream is not None and length > 0 else b""
    if environ.get("HTTP_CONTENT_ENCODING", "").lower() == "gzip":
        # botocore gzips large bodies (PutMetricData over 10 KiB); every layer and moto
        # then read the plain request.
        body = gzip.decompress(body)
        del environ["HTTP_CONTENT_ENCODING"]
    # Put the bytes back so moto (or the next layer) reads the same request.
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


@lru_cache(maxsize=16)
def _rest_routes(service: str) -> list[tuple[str, re.Pattern[str], str, dict[str, str]]]:
    """(method, path regex, operation, literal query) for a REST service, from botocore's own model.

    The literal query matters where two operations share a path, e.g.
    ListProvisionedConcurrencyConfigs is GetProvisionedConcurrencyConfig's path plus `?List=ALL`.
    """
    import botocore.session

    try:
        model = botocore.session.get_session().get_service_model(service)
    except Exception:  # noqa: BLE001 - an unknown service simply has no routes
        return []
    routes = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        uri, _, literal = http.get("requestUri", "/").partition("?")
        pattern = re.sub(
            r"\{([^}]+)\}",
            lambda m: f"(?P<{m.group(1).rstrip('+')}>.+)" if m.group(1).endswith("+") else f"(?P<{m.group(1)}>[^/]+)",
            re.escape(uri).replace(r"\{", "{").replace(r"\}", "}"),
        )
        required = dict(urllib.parse.parse_qsl(literal)) if literal and "{" not in literal else {}
        routes.append((http.get("method", "GET"), re.compile(f"^{pattern}/?$"), name, required))
    # Literal paths before templated ones (/functions/{F}/versions beats /functions/{F}/{X}),
    # and on the same path, the route that needs a literal query first.
    routes.sort(key=lambda r: (-len(r[1].pattern.replace("[^/]+", "")), -len(r[3])))
    return routes


def _match_rest(service: str, method: str, path: str, query: dict[str, str]) -> tuple[str, dict[str, str]] | None:
    for verb, pattern, name, required in _rest_routes(service):
        found = pattern.match(path) if verb == method else None
        if found and all(query.get(k) == v for k, v in required.items()):
            return name, {k: urllib.parse.unquote(v) for k, v in found.groupdict().items()}
    return None


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
