"""boto3 session and DynamoDB client, built the boto3 way: profiles, env vars, SSO, credential_process.

ddbtui adds only what a workbench needs on top: standard retries, sane timeouts, and one clear sentence
instead of a traceback when there are no credentials or no region.
"""

from __future__ import annotations

import ipaddress
import os
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from ddbtui.core import utf8
from ddbtui.core.errors import DdbtuiError


class ConnectionSetupError(DdbtuiError):
    """No region, no credentials, or an unknown profile: said in one sentence."""


@dataclass(frozen=True)
class Connection:
    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    capacity_mode: str = "auto"  # auto | reported | estimate
    demo: bool = False
    # botocore retry/timeouts
    max_attempts: int = 5
    connect_timeout: float = 5.0
    read_timeout: float = 30.0

    @property
    def effective_endpoint(self) -> str | None:
        return (
            self.endpoint_url
            or os.environ.get("AWS_ENDPOINT_URL_DYNAMODB")
            or os.environ.get("AWS_ENDPOINT_URL")
        )

    @property
    def is_emulator(self) -> bool:
        """An endpoint on loopback (or --demo): its capacity figures are not DynamoDB's."""
        if self.demo:
            return True
        url = self.effective_endpoint
        if not url:
            return False
        host = urlparse(url).hostname or ""
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    @property
    def engine(self) -> str | None:
        """``"dynamodb-local"``, ``"moto"`` or None (AWS, or an engine not yet heard from / unknown)."""
        return self.engine_seen(probe=True)

    def engine_seen(self, probe: bool = False) -> str | None:
        """The engine, from the responses seen so far; with ``probe``, one ``GET /`` if none was seen."""
        url = self.effective_endpoint
        if not url or not self.is_emulator:
            return None
        if probe:
            return engine_of(url)
        with _ENGINES_LOCK:
            return _ENGINES.get(url)

    @property
    def estimate_capacity(self) -> bool:
        """Show ddbtui's own capacity figure (labelled est.) rather than the server's.

        In auto mode: the server's figure against AWS and against DynamoDB Local (AWS's own engine, which
        computes capacity from the real item sizes, the items a filter discarded included); ddbtui's own
        estimate against moto, whose figures are constants, and against a loopback engine it cannot name.
        """
        return self.capacity_estimated(probe=True)

    def capacity_estimated(self, probe: bool = True) -> bool:
        """``estimate_capacity``; without ``probe`` it decides from the responses seen so far (no I/O:
        what the workbench asks on its UI thread, after its first request has taught it the engine)."""
        if self.capacity_mode == "estimate":
            return True
        if self.capacity_mode == "reported":
            return False
        if not self.is_emulator:
            return False
        return self.engine_seen(probe=probe) != "dynamodb-local"

    def describe(self, region: str | None = None) -> str:
        parts = []
        if self.demo:
            parts.append("demo")
        elif self.profile or os.environ.get("AWS_PROFILE"):
            parts.append(f"profile {self.profile or os.environ.get('AWS_PROFILE')}")
        if region:
            parts.append(region)
        if self.effective_endpoint:
            parts.append(self.effective_endpoint)
        return " · ".join(parts)


# The engine behind each endpoint, told by the Server header of its responses: DynamoDB Local answers
# `Jetty(12.0.31)`, moto's server `Werkzeug/3.1.9 Python/3.11.7` (measured, FACTS.md).
_ENGINES: dict[str, str | None] = {}
_ENGINES_LOCK = threading.Lock()


def engine_from_server_header(server: str | None) -> str | None:
    """Which local engine a ``Server`` header names, or None."""
    value = (server or "").lower()
    if value.startswith("jetty"):
        return "dynamodb-local"
    if "werkzeug" in value:
        return "moto"
    return None


def note_engine(endpoint_url: str, server: str | None) -> None:
    """Remember the engine a response from ``endpoint_url`` came from (no-op when it names none)."""
    engine = engine_from_server_header(server)
    if engine is not None:
        with _ENGINES_LOCK:
            _ENGINES[endpoint_url] = engine


def engine_of(endpoint_url: str, timeout: float = 1.0) -> str | None:
    """The engine behind a loopback endpoint: from a response already seen, else from one ``GET /``
    (both engines answer it at once, with their Server header). None when it cannot be told."""
    with _ENGINES_LOCK:
        if endpoint_url in _ENGINES:
            return _ENGINES[endpoint_url]
    import urllib.error
    import urllib.request

    server = None
    try:
        with urllib.request.urlopen(endpoint_url, timeout=timeout) as resp:  # noqa: S310 - loopback only
            server = resp.headers.get("Server")
    except urllib.error.HTTPError as e:
        server = e.headers.get("Server")
    except (OSError, ValueError):
        return None  # not up yet: ask again next time
    engine = engine_from_server_header(server)
    with _ENGINES_LOCK:
        _ENGINES[endpoint_url] = engine
    return engine


def demo_connection(endpoint_url: str, capacity_mode: str = "auto", **settings: Any) -> Connection:
    """The Connection to an embedded demo engine; the engine takes any credentials, so placeholders are
    set where the environment has none (boto3 would refuse to sign without)."""
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "demo")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "demo")
    return Connection(
        endpoint_url=endpoint_url, region="us-east-1", capacity_mode=capacity_mode, demo=True, **settings
    )


def retry_settings(args: Any) -> dict[str, Any]:
    """``--timeout`` and ``--max-attempts`` from parsed arguments, as Connection fields (only those given)."""
    out: dict[str, Any] = {}
    if getattr(args, "timeout", None) is not None:
        out["read_timeout"] = float(args.timeout)
    if getattr(args, "max_attempts", None) is not None:
        out["max_attempts"] = int(args.max_attempts)
    return out


def check_endpoint_url(url: str | None) -> None:
    """An endpoint botocore would refuse with a traceback (``notaurl``, ``http://h:abc``): one line."""
    if not url:
        return
    from urllib.parse import urlsplit

    from ddbtui.core.values import safe_text

    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        ok = False
    if not ok:
        raise ConnectionSetupError(
            f"the endpoint URL {safe_text(url)!r} is not a URL: expected http://host:port or https://host "
            "(--endpoint-url, AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL)"
        )


def make_client(conn: Connection) -> Any:
    """A DynamoDB client for ``conn``. Build it once, on the main thread; clients are thread-safe."""
    import boto3
    import botocore.config
    import botocore.exceptions

    check_endpoint_url(conn.effective_endpoint)

    try:
        session = boto3.Session(profile_name=conn.profile)
    except botocore.exceptions.ProfileNotFound as e:
        raise ConnectionSetupError(f"{e}. Check --profile / AWS_PROFILE, or try --demo.") from None
    # AWS_REGION is what the other SDKs and the CLI v2 read; botocore reads only AWS_DEFAULT_REGION
    region = conn.region or os.environ.get("AWS_REGION") or session.region_name
    endpoint = conn.effective_endpoint
    if region is None:
        if conn.is_emulator:
            region = "us-east-1"
        else:
            raise ConnectionSetupError(
                "No AWS region: pass --region, set AWS_REGION or a region in your profile, "
                "or try --demo for local demo data."
            )
    creds = None
    try:
        creds = session.get_credentials()
    except botocore.exceptions.BotoCoreError as e:
        raise ConnectionSetupError(
            f"Could not load AWS credentials: {e}. Try --demo for local demo data."
        ) from None
    if creds is None:
        if conn.is_emulator:
            session = boto3.Session(
                aws_access_key_id="local", aws_secret_access_key="local", region_name=region
            )
        else:
            raise ConnectionSetupError(
                "No AWS credentials found: configure a profile (aws configure / aws sso login), set "
                "AWS_PROFILE or AWS_ACCESS_KEY_ID, or try --demo for local demo data."
            )
    config = botocore.config.Config(
        # total_max_attempts counts the first try; botocore's max_attempts counts only the retries
        retries={"mode": "standard", "total_max_attempts": conn.max_attempts},
        connect_timeout=conn.connect_timeout,
        read_timeout=conn.read_timeout,
        max_pool_connections=32,
        user_agent_extra="ddbtui",
    )
    client = session.client("dynamodb", region_name=region, endpoint_url=endpoint, config=config)
    client.meta.events.register("before-parameter-build.dynamodb", utf8.refuse_unpaired_surrogates)
    if endpoint and conn.is_emulator:

        def _seen(http_response: Any = None, **_: Any) -> None:
            if http_response is not None:
                note_engine(endpoint, http_response.headers.get("Server"))

        client.meta.events.register("after-call.dynamodb", _seen)
    return client
