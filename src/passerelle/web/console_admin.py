"""Console administration of the node's accounts: users (add, roles, password, disable and
enable again) and API tokens. Every change is audited; dangerous ones are confirmed first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.kit import confirm, flash, forms
from passerelle.kit.i18n import gettext
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import HUMAN_ROLES, MACHINE_ROLES, ROLES, Principal, accounts, require

router = APIRouter(include_in_schema=False)
Confirmed = Annotated[str, Form()]


def _admin_page(
    request: Request,
    session: Session,
    *,
    new_token: str | None = None,
    problems: list[forms.FieldProblem] | None = None,
    status: int = 200,
) -> Response:
    kept = dict(forms.kept_items(request)) if problems else {}
    return render(
        request,
        "core/admin.html",
        {
            "users": accounts.list_users(session),
            "tokens": accounts.list_tokens(session),
            "human_roles": HUMAN_ROLES,
            "machine_roles": MACHINE_ROLES,
            "role_info": ROLES,
            "new_token": new_token,
            "problems": problems or [],
            "kept": kept,
            "kept_roles": [v for n, v in forms.kept_items(request) if n == "roles"],
            "limits": {"username": 64, "display_name": accounts.DISPLAY_NAME_MAX},
        },
        status=status,
    )


@forms.form_page("/admin/users")
def _add_user_again(request: Request, problems: list[forms.FieldProblem]) -> Response:
    """The admin page with the add-user form's problems next to its fields, input kept."""
    with node_of(request).session() as session:
        return _admin_page(request, session, problems=problems, status=422)


@router.get("/admin")
def admin(
    request: Request, session: DbSession, principal: Principal = require("admin")
) -> Response:
    return _admin_page(request, session)


@router.post("/admin/users")
def admin_add_user(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    roles: Annotated[list[str], Form()],
    display_name: Annotated[str, Form()] = "",
    principal: Principal = require("admin"),
) -> Response:
    node = node_of(request)
    try:
        accounts.add_user(
            session,
            username=username,
            password=password,
            roles=roles,
            agency=principal.agency,
            display_name=display_name,
            now=node.clock.now(),
        )
    except (ValidationFailed, Conflict, NotFound) as exc:
        # The same rules as the API and the CLI; the form shows what was wrong, input kept.
        problems = forms.problems_of(exc)
        if isinstance(exc, Conflict):
            problems = [
                forms.FieldProblem(
                    "username",
                    gettext("A user named %(username)s already exists.") % {"username": username},
                )
            ]
        return _admin_page(request, session, problems=problems, status=exc.status)
    node.audit_admin(session, principal.actor, "user", username, "add", roles=roles)
    return flash.redirect("/admin", "User %(username)s added.", username=username)


@router.post("/admin/users/{username}/disable")
def admin_disable_user(
    request: Request,
    session: DbSession,
    username: str,
    reason: Annotated[str, Form()] = "",
    confirmed: Confirmed = "",
    principal: Principal = require("admin"),
) -> Response:
    user = accounts.get_user(session, accounts.check_username(username))
    asked = confirm.step(
        request,
        title=gettext("Disable the user %(username)s?") % {"username": user.username},
        consequence=gettext(
            "%(username)s will no longer be able to log in and their open sessions end at once. "
            "You can enable the account again later."
        )
        % {"username": user.username},
        button=gettext("Disable the user"),
        cancel="/admin",
        confirmed=confirmed,
        reason=reason,
        reason_required=True,
    )
    if asked is not None:
        return asked
    node = node_of(request)
    accounts.disable_user(session, username, now=node.clock.now())
    node.audit_admin(session, principal.actor, "user", username, "disable", reason=reason)
    return flash.redirect(
        "/admin", "User %(username)s disabled; their open sessions were ended.", username=username
    )


@router.post("/admin/users/{username}/enable")
def admin_enable_user(
    request: Request,
    session: DbSession,
    username: str,
    reason: Annotated[str, Form()] = "",
    confirmed: Confirmed = "",
    principal: Principal = require("admin"),
) -> Response:
    user = accounts.get_user(session, accounts.check_username(username))
    asked = confirm.step(
        request,
        title=gettext("Enable the user %(username)s again?") % {"username": user.username},
        consequence=gettext("%(username)s will be able to log in again with their roles.")
        % {"username": user.username},
        button=gettext("Enable the user"),
        cancel="/admin",
        confirmed=confirmed,
        reason=reason,
    )
    if asked is not None:
        return asked
    node = node_of(request)
    accounts.enable_user(session, username)
    node.audit_admin(session, principal.actor, "user", username, "enable", reason=reason)
    return flash.redirect("/admin", "User %(username)s enabled again.", username=username)


@router.post("/admin/users/{username}/roles")
def admin_set_roles(
    request: Request,
    session: DbSession,
    username: str,
    roles: Annotated[list[str], Form()],
    principal: Principal = require("admin"),
) -> Response:
    node = node_of(request)
    user = accounts.get_user(session, accounts.check_username(username))
    before = user.roles
    accounts.set_roles(session, username, roles)
    node.audit_admin(
        session, principal.actor, "user", username, "roles", before=before, after=user.roles
    )
    shown = ", ".join(gettext(r) for r in user.roles.split())
    return flash.redirect(
        "/admin", "Roles of %(username)s changed to %(roles)s.", username=username, roles=shown
    )


@router.post("/admin/users/{username}/password")
def admin_reset_password(
    request: Request,
    session: DbSession,
    username: str,
    new_password: Annotated[str, Form()],
    principal: Principal = require("admin"),
) -> Response:
    node = node_of(request)
    try:
        accounts.reset_password(session, username, new_password, now=node.clock.now())
    except ValidationFailed as exc:
        if exc.details.get("field") != "password":
            raise
        message = gettext("Use at least %(n)s characters.") % {"n": accounts.PASSWORD_MIN}
        raise forms.FormInvalid([forms.FieldProblem("new_password", message)]) from exc
    node.audit_admin(session, principal.actor, "user", username, "password_reset")
    return flash.redirect(
        "/admin",
        "Password of %(username)s reset; they must use the new one from now on.",
        username=username,
    )


@router.post("/admin/tokens")
def admin_create_token(
    request: Request,
    session: DbSession,
    name: Annotated[str, Form()],
    role: Annotated[str, Form()],
    principal: Principal = require("admin"),
) -> Response:
    node = node_of(request)
    raw = accounts.create_token(
        session, name=name, role=role, agency=principal.agency, now=node.clock.now()
    )
    node.audit_admin(session, principal.actor, "api_token", name, "create", role=role)
    return _admin_page(request, session, new_token=raw)


@router.post("/admin/tokens/{name}/revoke")
def admin_revoke_token(
    request: Request,
    session: DbSession,
    name: str,
    confirmed: Confirmed = "",
    principal: Principal = require("admin"),
) -> Response:
    asked = confirm.step(
        request,
        title=gettext("Revoke the API token %(name)s?") % {"name": name},
        consequence=gettext("Every system using this token is refused from now on."),
        button=gettext("Revoke the token"),
        cancel="/admin",
        confirmed=confirmed,
    )
    if asked is not None:
        return asked
    node = node_of(request)
    accounts.revoke_token(session, name, now=node.clock.now())
    node.audit_admin(session, principal.actor, "api_token", name, "revoke")
    return flash.redirect("/admin", "API token %(name)s revoked.", name=name)
