"""The sign-in and return pages of each OpenID Connect provider (public: the sign-in steps)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from .client import callback, login

urlpatterns = [
    path(
        "oidc/<str:provider_id>/",
        include(
            [
                path("login/", login_not_required(login), name="openid_connect_login"),
                path(
                    "login/callback/",
                    login_not_required(callback),
                    name="openid_connect_callback",
                ),
            ]
        ),
    )
]
