from __future__ import annotations

from django.urls import path

from sascop.accounts import apis, views

app_name = "accounts"

page_urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
]

api_urlpatterns = [
    path("register/", apis.RegisterApi.as_view(), name="api-register"),
    path("login/", apis.LoginApi.as_view(), name="api-login"),
    path("logout/", apis.LogoutApi.as_view(), name="api-logout"),
    path("user/", apis.UserApi.as_view(), name="api-user"),
    path("protected/", apis.ProtectedApi.as_view(), name="api-protected"),
    path("csrf/", apis.CsrfApi.as_view(), name="api-csrf"),
    path("session/", apis.SessionApi.as_view(), name="api-session"),
    path("password/change/", apis.PasswordChangeApi.as_view(), name="api-password-change"),
    path("sessions/", apis.SessionListApi.as_view(), name="api-sessions"),
    path("login-history/", apis.LoginHistoryApi.as_view(), name="api-login-history"),
    path(
        "sessions/revoke-others/", apis.RevokeOthersApi.as_view(), name="api-sessions-revoke-others"
    ),
    path("sessions/<str:session_id>/", apis.SessionDetailApi.as_view(), name="api-session-end"),
]
