"""One readable sentence for any failure of a request, so the app can show it and keep running."""

from __future__ import annotations

from ddbtui.core.errors import DdbtuiError

# What the user can do about the usual AWS failures; DynamoDB's own message comes first.
_HINTS = {
    "AccessDeniedException": "your credentials lack this permission; ask for it or use another --profile",
    "ResourceNotFoundException": "the table or index does not exist in this account and region",
    "ProvisionedThroughputExceededException": "throttled even after retries; try again later, or read less",
    "ThrottlingException": "throttled even after retries; try again later",
    "RequestLimitExceeded": "the account's request limit was hit even after retries; try again later",
    "ExpiredTokenException": "your credentials have expired; refresh them (e.g. aws sso login) and retry",
    "ExpiredToken": "your credentials have expired; refresh them (e.g. aws sso login) and retry",
    "UnrecognizedClientException": "the credentials are not valid for this endpoint",
    "InvalidSignatureException": "the credentials are not valid for this endpoint",
}


def error_code(exc: BaseException) -> str | None:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return response.get("Error", {}).get("Code")
    return None


def describe_error(exc: BaseException) -> str:
    """``Code: message (Operation) — hint`` for AWS errors; the message itself for ddbtui's own errors.

    The result is plain text from an untrusted source: show it with ``safe.plain`` / ``markup=False``.
    """
    if isinstance(exc, DdbtuiError):
        return str(exc)
    # The command line already knows how to word botocore's errors; the app says the same thing.
    from ddbtui.aws.errors import describe_aws_error

    message = describe_aws_error(exc) if isinstance(exc, Exception) else None
    if message is None:
        message = f"{type(exc).__name__}: {exc}"
    hint = _HINTS.get(error_code(exc) or "")
    return f"{message} — {hint}" if hint else message
