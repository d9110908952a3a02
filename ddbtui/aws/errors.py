"""AWS errors as one readable line, for the command line and the workbench alike."""

from __future__ import annotations


def describe_aws_error(e: BaseException) -> str | None:
    """One line for an AWS or botocore error (`Code: message (Operation)`); None for anything else."""
    try:
        import botocore.exceptions as bex
    except ImportError:  # pragma: no cover
        return None
    if isinstance(e, bex.ClientError):
        err = e.response.get("Error", {})
        code = err.get("Code", "Error")
        msg = err.get("Message", str(e))
        op = e.operation_name
        status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status and status >= 500 and (not msg or "<" in msg):
            msg = (
                f"the server failed (HTTP {status}) — emulators answer 500 to some requests DynamoDB rejects"
            )
        return f"{code}: {msg} ({op})"
    if isinstance(e, bex.NoCredentialsError):
        return "No AWS credentials found: configure a profile or AWS_PROFILE, or try --demo."
    if isinstance(e, bex.NoRegionError):
        return "No AWS region: pass --region or set AWS_REGION, or try --demo."
    if isinstance(e, bex.BotoCoreError):
        return f"{type(e).__name__}: {e}"
    return None
