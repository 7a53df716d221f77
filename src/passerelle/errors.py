"""The typed error tree. Every failure a user can meet is one of these classes.

Each error carries a user-facing message, an HTTP status, a stable machine ``code`` and a CLI
exit code. The mapping to JSON (API), HTML (console) and CLI output is done once, in
``passerelle.web.errors`` and ``passerelle.cli``; nothing else formats errors.

    PasserelleError
    ├── UsageError                 (400, exit 2)  bad command-line or request usage
    │   ├── MalformedInput         (400, exit 2)  unparseable JSON, CSV, EDIFACT …
    │   ├── OutOfRange             (400, exit 2)  an integer parameter outside its range
    │   └── PayloadTooLarge        (413, exit 2)
    ├── ValidationFailed           (422, exit 2)  well-formed but breaks a rule
    ├── NotAuthenticated           (401, exit 4)
    │   ├── InvalidCredentials     (401, exit 4)
    │   ├── SessionExpired         (401, exit 4)
    │   └── SignatureInvalid       (401, exit 4)  federation: signature, digest, date
    ├── PermissionDenied           (403, exit 5)
    │   └── CsrfFailed             (403, exit 5)
    ├── NotFound                   (404, exit 6)
    ├── Conflict                   (409, exit 7)
    │   └── Replay                 (409, exit 7)  federation: message id seen before
    ├── TooManyRequests            (429, exit 9)  throttled (failed logins)
    ├── Quarantined                (422, exit 3)  input kept raw in quarantine
    ├── IntegrityError             (500, exit 8)  audit chain broken, data tampered
    └── Unavailable                (503, exit 9)  a peer or service cannot be reached
        └── DatabaseBusy           (503, exit 9)  a database lock was not granted in time
"""

from __future__ import annotations

from typing import Any, ClassVar


class PasserelleError(Exception):
    """Base of every error Passerelle reports to a user."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "error"
    exit_code: ClassVar[int] = 1

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        """The JSON body of an API error response."""
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


class UsageError(PasserelleError):
    status, code, exit_code = 400, "bad_request", 2


class MalformedInput(UsageError):
    code = "malformed_input"


class OutOfRange(UsageError):
    code = "out_of_range"


class PayloadTooLarge(UsageError):
    status, code = 413, "payload_too_large"


class ValidationFailed(PasserelleError):
    status, code, exit_code = 422, "validation_failed", 2


class NotAuthenticated(PasserelleError):
    status, code, exit_code = 401, "not_authenticated", 4


class InvalidCredentials(NotAuthenticated):
    code = "invalid_credentials"


class SessionExpired(NotAuthenticated):
    code = "session_expired"


class SignatureInvalid(NotAuthenticated):
    code = "signature_invalid"


class PermissionDenied(PasserelleError):
    status, code, exit_code = 403, "permission_denied", 5


class CsrfFailed(PermissionDenied):
    code = "csrf_failed"


class NotFound(PasserelleError):
    status, code, exit_code = 404, "not_found", 6


class Conflict(PasserelleError):
    status, code, exit_code = 409, "conflict", 7


class Replay(Conflict):
    code = "replay"


class TooManyRequests(PasserelleError):
    status, code, exit_code = 429, "too_many_requests", 9


class Quarantined(PasserelleError):
    status, code, exit_code = 422, "quarantined", 3


class IntegrityError(PasserelleError):
    status, code, exit_code = 500, "integrity_error", 8


class Unavailable(PasserelleError):
    status, code, exit_code = 503, "unavailable", 9


class DatabaseBusy(Unavailable):
    """A lock was not granted within ``PASSERELLE_DB_BUSY_TIMEOUT_SECONDS``: retry shortly."""

    code = "database_busy"
    #: Seconds a client should wait before retrying (the ``Retry-After`` header).
    retry_after: ClassVar[int] = 1


class ConfigurationError(PasserelleError):
    """The node's configuration does not allow a package to start (raised at start-up)."""

    status, code, exit_code = 500, "configuration_error", 10


__all__ = [
    "ConfigurationError",
    "Conflict",
    "CsrfFailed",
    "DatabaseBusy",
    "IntegrityError",
    "InvalidCredentials",
    "MalformedInput",
    "NotAuthenticated",
    "NotFound",
    "OutOfRange",
    "PasserelleError",
    "PayloadTooLarge",
    "PermissionDenied",
    "Quarantined",
    "Replay",
    "SessionExpired",
    "SignatureInvalid",
    "TooManyRequests",
    "Unavailable",
    "UsageError",
    "ValidationFailed",
]
