"""Single sign-on with OpenID Connect (ADR 0014), on django-allauth's ``openid_connect``
provider: one app per identity provider, configured from the environment
(``settings/sso.py``). What this package adds to allauth's client:

- a ``nonce`` in every authorization request, checked against the ID token (allauth sends
  none); PKCE (S256) is on for every provider;
- ``private_key_jwt`` client authentication at the token endpoint (login.gov), besides
  ``client_secret_basic`` / ``client_secret_post``;
- the claim mapping (e-mail, names, organisation) and the verified-e-mail flag per provider;
- which people a provider may sign in (``adapter.py``): existing accounts linked by a
  *verified* address inside the provider's domains, new accounts only where allowed; and
  whether its ``amr``/``acr`` counts as the second factor.
"""
