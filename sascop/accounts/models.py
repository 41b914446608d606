from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UserQuerySet(models.QuerySet["User"]):
    def update(self, **kwargs: Any) -> int:
        """A bulk update (an admin action deactivating users, say) sends no signals, yet must
        revoke the cached rows like a save does, or the change would wait for the cache."""
        from sascop.accounts.signals import forget_user_in_transaction

        with transaction.atomic(using=self.db):
            user_ids = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            if set(kwargs) - {"last_login"}:
                for user_id in user_ids:
                    forget_user_in_transaction(user_id)
        return count


class UserAccountManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who signs in. Usernames and e-mails are unique whatever their case."""

    email = models.EmailField(pgettext_lazy("accounts", "email address"), blank=True)

    objects: ClassVar[UserAccountManager] = UserAccountManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        # The stubs type AbstractUser.Meta's names as str; Django's own are lazy as well.
        verbose_name = pgettext_lazy("accounts", "user")  # type: ignore[assignment]
        verbose_name_plural = pgettext_lazy("accounts", "users")  # type: ignore[assignment]
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message=_("A user with that username already exists."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("A user with that e-mail address already exists."),
            ),
        ]


class Sesion(AbstractBaseSession):
    """A session row, with who it belongs to and where it comes from, so a user can see and
    end their sessions (an indexed lookup by user, not a scan of every session).

    The columns are copied from the session's own data on every save (see
    core.session_store); the session data stays the source of what the session is.
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="sesiones"
    )
    created_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)

    class Meta(AbstractBaseSession.Meta):
        verbose_name = pgettext_lazy("accounts", "session")  # type: ignore[assignment]
        verbose_name_plural = pgettext_lazy("accounts", "sessions")  # type: ignore[assignment]
        indexes = [models.Index(fields=["user", "expire_date"], name="sesion_usuario_vigente")]

    @classmethod
    def get_session_store_class(cls) -> type[Any]:
        from sascop.core.sessions.store import SessionStore

        return SessionStore


class DispositivoTotp(models.Model):
    """A user's authenticator app (TOTP, RFC 6238): its secret, encrypted (see accounts.mfa).

    `secreto` is the confirmed one that logins check; `secreto_pendiente` one being enrolled,
    which replaces it only once a code from it is confirmed (so re-enrolling a new phone never
    leaves the account without a working authenticator). `ultimo_paso` is the time step of
    the last code accepted: a code is good once, and never one older than it.
    """

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="dispositivo_totp"
    )
    secreto = models.TextField(blank=True)
    secreto_pendiente = models.TextField(blank=True)
    confirmado_en = models.DateTimeField(null=True, blank=True)
    ultimo_paso = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator (TOTP)")
        verbose_name_plural = _("authenticators (TOTP)")

    def __str__(self) -> str:
        return f"TOTP de {self.user}"

    @property
    def activo(self) -> bool:
        return bool(self.secreto)


class CodigoRecuperacion(models.Model):
    """A single-use recovery code, stored as a keyed hash (never the code itself)."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="codigos_recuperacion"
    )
    hash = models.CharField(max_length=64)
    usado_en = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["user", "hash"], name="codigo_recuperacion_unico")
        ]

    def __str__(self) -> str:
        return f"Código de recuperación de {self.user}"
