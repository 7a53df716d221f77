"""Privacy: users, roles, agencies, the audit log, retention, masking and access control."""

from passerelle.privacy.access import Access, RoleRequirement, require
from passerelle.privacy.accounts import Principal
from passerelle.privacy.audit import SYSTEM, Actor, VerifyResult
from passerelle.privacy.clock import Clock, FrozenClock, SystemClock
from passerelle.privacy.crypto import FieldCipher
from passerelle.privacy.retention import RetentionOutcome, RetentionRegistry, RetentionRule

__all__ = [
    "SYSTEM",
    "Access",
    "Actor",
    "Clock",
    "FieldCipher",
    "FrozenClock",
    "Principal",
    "RetentionOutcome",
    "RetentionRegistry",
    "RetentionRule",
    "RoleRequirement",
    "SystemClock",
    "VerifyResult",
    "require",
]
