"""The login history's move into the activity log (accounts 0009): one row per access, none
lost, none doubled; and back."""

from __future__ import annotations

import datetime

import pytest

from sascop.produccion.tests.test_migracion import migrador  # noqa: F401  (the fixture)

ANTES = [("accounts", "0008_mfa_totp"), ("actividad", "0003_accesos")]
DESPUES = [("accounts", "0010_sin_eventoacceso")]
T0 = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)
MS = datetime.timedelta(milliseconds=1)
IP, OTRA_IP, UA = "10.0.0.1", "10.0.0.2", "Mozilla/5.0 Firefox/133.0"


def _momento(segundos: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=segundos)


def _accesos(apps) -> list[tuple]:
    Registro = apps.get_model("actividad", "RegistroActividad")
    filas = Registro.objects.exclude(accion__in=["crear", "modificar", "eliminar"])
    campos = ("fecha", "accion", "usuario__username", "nombre_usuario", "ip", "agente_usuario")
    return list(filas.order_by("fecha", "id").values_list(*campos))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_access_becomes_one_row_of_the_log_and_back(migrador):  # noqa: F811
    executor = migrador
    executor.migrate(ANTES)
    apps = executor.loader.project_state(ANTES).apps
    User = apps.get_model("accounts", "User")
    Evento = apps.get_model("accounts", "EventoAcceso")
    Registro = apps.get_model("actividad", "RegistroActividad")
    ana = User.objects.create(username="ana", email="ana@sascop.mx")
    beto = User.objects.create(username="beto")

    def evento(segundos, result, user, identifier, ip=IP):
        Evento.objects.create(
            at=_momento(segundos), result=result, user=user, identifier=identifier, ip=ip,
            user_agent=UA,
        )  # fmt: skip

    def registro(segundos, accion, usuario, nombre, ip=IP, **otros):
        Registro.objects.create(
            fecha=_momento(segundos) + MS, accion=accion, usuario=usuario, nombre_usuario=nombre,
            ip=ip, **otros,
        )  # fmt: skip

    # Written together, as the two receivers did: the history's event and the log's row.
    evento(0, "success", ana, "ana")
    registro(0, "login", ana, "ana")
    evento(0.5, "success", ana, "ana")  # a second login half a second later
    registro(0.5, "login", ana, "ana")
    evento(10, "failure", ana, "ANA@sascop.mx")  # the log kept failures without the account
    registro(10, "login_fallido", None, "ANA@sascop.mx")
    evento(20, "locked", beto, "beto", ip=OTRA_IP)  # the attempt that locked the account...
    registro(20, "login_fallido", None, "beto", ip=OTRA_IP)
    registro(20, "bloqueo", None, "beto", ip=OTRA_IP)  # ...and axes' signal, a row more
    evento(30, "mfa_success", ana, "ana")
    registro(30, "login", ana, "ana")
    evento(40, "mfa_failure", ana, "ana")  # only the history had codes...
    evento(50, "revoked", ana, "ana")  # ...and ended sessions
    evento(60, "logout", ana, "ana")
    registro(60, "logout", ana, "ana")
    evento(70, "expired", None, "")
    registro(70, "sesion_expirada", None, "")
    registro(-86400 * 200, "login", beto, "beto")  # older than the history keeps
    registro(80, "modificar", ana, "ana", entidad="pte", entidad_id="7", campo="comentario")

    executor = type(executor)(executor.connection)
    executor.migrate(DESPUES)
    apps = executor.loader.project_state(DESPUES).apps

    def a(segundos: float) -> datetime.datetime:
        return _momento(segundos) + MS

    assert _accesos(apps) == [
        (a(-86400 * 200), "login", "beto", "beto", IP, ""),
        (a(0), "login", "ana", "ana", IP, UA),
        (a(0.5), "login", "ana", "ana", IP, UA),
        (a(10), "login_fallido", "ana", "ANA@sascop.mx", IP, UA),
        (a(20), "bloqueo", "beto", "beto", OTRA_IP, UA),
        (a(30), "login_con_codigo", "ana", "ana", IP, UA),
        (_momento(40), "codigo_incorrecto", "ana", "ana", IP, UA),
        (_momento(50), "sesion_terminada", "ana", "ana", IP, UA),
        (a(60), "logout", "ana", "ana", IP, UA),
        (a(70), "sesion_expirada", None, "", IP, UA),
    ]
    cambio = apps.get_model("actividad", "RegistroActividad").objects.get(accion="modificar")
    assert (cambio.entidad, cambio.campo, cambio.agente_usuario) == ("pte", "comentario", "")

    executor = type(executor)(executor.connection)
    executor.migrate(ANTES)
    apps = executor.loader.project_state(ANTES).apps

    eventos = apps.get_model("accounts", "EventoAcceso").objects.order_by("at", "id")
    assert list(eventos.values_list("result", "user__username", "identifier")) == [
        ("success", "beto", "beto"),
        ("success", "ana", "ana"),
        ("success", "ana", "ana"),
        ("failure", "ana", "ANA@sascop.mx"),
        ("locked", "beto", "beto"),
        ("mfa_success", "ana", "ana"),
        ("mfa_failure", "ana", "ana"),
        ("revoked", "ana", "ana"),
        ("logout", "ana", "ana"),
        ("expired", None, ""),
    ]
    assert [accion for _f, accion, *_ in _accesos(apps)] == [
        "login",
        "login",
        "login",
        "login_fallido",
        "bloqueo",
        "login",
        "logout",
        "sesion_expirada",
    ]
