"""boto3 session and DynamoDB client, built the boto3 way: profiles, env vars, SSO, credential_process.

ddbtui adds only what a workbench needs on top: standard retries, sane timeouts, and one clear sentence
instead of a traceback when there are no credentials or no region.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

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
    def estimate_capacity(self) -> bool:
        """Show ddbtui's own capacity figure (labelled est.) rather than the server's."""
        if self.capacity_mode == "estimate":
            return True
        if self.capacity_mode == "reported":
            return False
        return self.is_emulator

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


def make_client(conn: Connection) -> Any:
    """A DynamoDB client for ``conn``. Build it once, on the main thread; clients are thread-safe."""
    import boto3
    import botocore.config
    import botocore.exceptions

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
    return session.client("dynamodb", region_name=region, endpoint_url=endpoint, config=config)
