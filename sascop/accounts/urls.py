from __future__ import annotations

from django.urls import path

from sascop.accounts import apis, views

app_name = "accounts"

page_urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/codigo/", views.login_codigo_view, name="login-codigo"),
    path("logout/", views.logout_view, name="logout"),
]

cuenta_urlpatterns = [
    path("", views.cuenta_inicio, name="inicio"),
    path("contrasena/", views.cuenta_contrasena, name="contrasena"),
    path("sesiones/", views.cuenta_sesiones, name="sesiones"),
    path(
        "sesiones/cerrar-otras/",
        views.cuenta_sesiones_cerrar_otras,
        name="sesiones-cerrar-otras",
    ),
    path("sesiones/<str:session_id>/cerrar/", views.cuenta_sesion_cerrar, name="sesion-cerrar"),
    path("historial/", views.cuenta_historial, name="historial"),
    path("mfa/", views.cuenta_mfa, name="mfa"),
    path("mfa/configurar/", views.cuenta_mfa_configurar, name="mfa-configurar"),
    path("mfa/confirmar/", views.cuenta_mfa_confirmar, name="mfa-confirmar"),
    path("mfa/codigos/", views.cuenta_mfa_codigos, name="mfa-codigos"),
    path("mfa/desactivar/", views.cuenta_mfa_desactivar, name="mfa-desactivar"),
]

api_urlpatterns = [
    path("register/", apis.RegisterApi.as_view(), name="api-register"),
    path("login/", apis.LoginApi.as_view(), name="api-login"),
    path("login/mfa/", apis.LoginMfaApi.as_view(), name="api-login-mfa"),
    path("mfa/", apis.MfaStatusApi.as_view(), name="api-mfa"),
    path("mfa/totp/", apis.TotpApi.as_view(), name="api-mfa-totp"),
    path("mfa/totp/setup/", apis.TotpSetupApi.as_view(), name="api-mfa-totp-setup"),
    path("mfa/totp/confirm/", apis.TotpConfirmApi.as_view(), name="api-mfa-totp-confirm"),
    path("mfa/recovery-codes/", apis.RecoveryCodesApi.as_view(), name="api-mfa-recovery-codes"),
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
