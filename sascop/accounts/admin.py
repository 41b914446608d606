from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from sascop.accounts.models import CodigoRecuperacion, DispositivoTotp, Sesion, User
from sascop.accounts.selectors import device_of
from sascop.core.sessions.store import SessionStore


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("username", "email", "first_name", "last_name")


@admin.register(Sesion)
class SesionAdmin(admin.ModelAdmin):
    """Live and recent sessions, by user. Deleting one ends it at once on every app server
    (through the session store, which revokes the Redis copy too)."""

    list_display = ("user", "dispositivo", "ip", "created_at", "last_seen_at", "expire_date")
    list_filter = ("expire_date",)
    search_fields = ("user__username", "user__email", "ip")
    list_select_related = ("user",)
    fields = ("user", "ip", "user_agent", "created_at", "last_seen_at", "expire_date")
    readonly_fields = fields

    @admin.display(description="dispositivo")
    def dispositivo(self, obj: Sesion) -> str:
        return device_of(obj.user_agent)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Sesion | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Sesion) -> None:
        SessionStore(session_key=obj.session_key).delete()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Sesion]) -> None:
        for key in queryset.values_list("session_key", flat=True):
            SessionStore(session_key=key).delete()


@admin.register(DispositivoTotp)
class DispositivoTotpAdmin(admin.ModelAdmin):
    """Who has two-factor on. Deleting a user's authenticator (and so their recovery codes)
    is how an administrator lets someone in who lost both: they log in with the password
    alone and enrol again (at once, if their role requires it). The secret is never shown."""

    list_display = ("user", "activo", "confirmado_en")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    fields = ("user", "confirmado_en")
    readonly_fields = fields

    @admin.display(boolean=True, description="activo")
    def activo(self, obj: DispositivoTotp) -> bool:
        return obj.activo

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: DispositivoTotp | None = None
    ) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: DispositivoTotp) -> None:
        CodigoRecuperacion.objects.filter(user_id=obj.user_id).delete()
        obj.delete()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[DispositivoTotp]) -> None:
        users = list(queryset.values_list("user_id", flat=True))
        CodigoRecuperacion.objects.filter(user_id__in=users).delete()
        queryset.delete()


def _admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The admin logs in through the project's login page, not its own form: that one would
    skip the two-factor step (and the lock-out answers and history of `user_login`)."""
    siguiente = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return redirect_to_login(siguiente, login_url=settings.LOGIN_URL)


admin.site.login = _admin_login  # type: ignore[method-assign]
