"""Single sign-on providers from the environment (docs/administrators.md, "Single sign-on").

``OIDC_PROVIDERS`` (or ``OIDC_PROVIDERS_FILE``, a path) holds a JSON list, one object per
OpenID Connect provider — one for the deployment, or one per member organisation of a
consortium. Each becomes an app of django-allauth's ``openid_connect`` provider. A bad
value stops the start with a message naming it, never a half-configured sign-in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .env import env_str

KNOWN = {
    "id", "name", "server_url", "client_id", "secret", "secret_file", "scopes", "claims",
    "create_accounts", "trust_email", "domains", "strong_amr", "strong_acr",
    "token_auth_method", "private_key", "private_key_file", "private_key_id", "auth_params",
}  # fmt: skip
AUTH_METHODS = {"client_secret_basic", "client_secret_post", "private_key_jwt"}
CLAIMS = {"email", "email_verified", "first_name", "last_name", "organization"}


def _fail(index: int, message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"OIDC_PROVIDERS[{index}]: {message}")


def _read(path: str, index: int, what: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError as exc:
        raise _fail(index, f"{what} {path!r} cannot be read: {exc}") from exc


def oidc_app(entry: Any, index: int) -> dict[str, Any]:
    """One provider's settings, checked, as an allauth ``APPS`` entry."""
    if not isinstance(entry, dict):
        raise _fail(index, "each provider is a JSON object")
    unknown = set(entry) - KNOWN
    if unknown:
        raise _fail(index, f"unknown keys {sorted(unknown)}")
    for key in ("id", "name", "server_url", "client_id"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise _fail(index, f"{key!r} is required (a string)")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", entry["id"]):
        raise _fail(index, "'id' is lower-case letters, digits and hyphens (it is in the URL)")
    if not entry["server_url"].startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise _fail(index, "'server_url' must be https://")
    method = entry.get("token_auth_method", "client_secret_basic")
    if method not in AUTH_METHODS:
        raise _fail(index, f"'token_auth_method' is one of {sorted(AUTH_METHODS)}")
    secret = entry.get("secret", "")
    if entry.get("secret_file"):
        secret = _read(entry["secret_file"], index, "secret_file")
    private_key = entry.get("private_key", "")
    if entry.get("private_key_file"):
        private_key = _read(entry["private_key_file"], index, "private_key_file")
    if method == "private_key_jwt" and "PRIVATE KEY" not in private_key:
        raise _fail(index, "private_key_jwt needs 'private_key' or 'private_key_file' (PEM)")
    if method != "private_key_jwt" and not secret:
        raise _fail(index, "'secret' or 'secret_file' is required (or private_key_jwt)")
    claims = entry.get("claims", {})
    if not isinstance(claims, dict) or set(claims) - CLAIMS:
        raise _fail(index, f"'claims' maps some of {sorted(CLAIMS)} to claim names")
    for key in ("scopes", "domains", "strong_amr", "strong_acr"):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _fail(index, f"{key!r} is a list of strings")
    settings: dict[str, Any] = {
        "server_url": entry["server_url"],
        "oauth_pkce_enabled": True,
        "token_auth_method": method,
        "scope": entry.get("scopes") or ["openid", "email", "profile"],
        "claims": claims,
        "create_accounts": bool(entry.get("create_accounts", False)),
        "trust_email": bool(entry.get("trust_email", False)),
        "domains": entry.get("domains", []),
        "strong_amr": entry.get("strong_amr", []),
        "strong_acr": entry.get("strong_acr", []),
        "auth_params": entry.get("auth_params", {}),
    }
    if method == "private_key_jwt":
        settings["private_key"] = private_key
        settings["private_key_id"] = entry.get("private_key_id", "")
    return {
        "provider_id": entry["id"],
        "name": entry["name"],
        "client_id": entry["client_id"],
        "secret": secret,
        "settings": settings,
    }


def oidc_apps_from_env() -> list[dict[str, Any]]:
    raw = env_str("OIDC_PROVIDERS", "").strip()
    if not raw:
        return []
    try:
        entries = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"OIDC_PROVIDERS is not JSON: {exc}") from exc
    if not isinstance(entries, list):
        raise ImproperlyConfigured("OIDC_PROVIDERS is a JSON list of providers")
    apps = [oidc_app(entry, i) for i, entry in enumerate(entries)]
    ids = [app["provider_id"] for app in apps]
    if len(set(ids)) != len(ids):
        raise ImproperlyConfigured("OIDC_PROVIDERS: two providers have the same 'id'")
    return apps
