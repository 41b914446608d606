"""The login history moves into the activity log: one row per access, in Spanish fields.

Until now each access was written twice, in the same transaction: an `EventoAcceso` row
(accounts) and a `RegistroActividad` row (actividad), except second-factor codes and ended
sessions, which only the history had, and lock-outs, which the log also recorded as an extra
`bloqueo` row. Each history event is matched with the log row written with it (same action,
address and user or typed name, within `VENTANA`): that row takes the event's details; an
event with no such row becomes a new row; the extra `bloqueo` row of a lock-out goes (its
time, address and account are the merged row's). Log rows with no history event (older than
the history's retention) stay as they are. Nothing else is touched.

Backwards, every access of the log becomes a history event again and the log returns to its
old actions (codes and ended sessions, which it did not record, leave it).
"""

from datetime import timedelta

from django.db import migrations
from django.db.models import Q

VENTANA = timedelta(seconds=2)
LOTE = 2000

ACCION_DE = {
    "success": "login",
    "failure": "login_fallido",
    "locked": "bloqueo",
    "mfa_failure": "codigo_incorrecto",
    "mfa_success": "login_con_codigo",
    "logout": "logout",
    "expired": "sesion_expirada",
    "revoked": "sesion_terminada",
}
RESULTADO_DE = {accion: resultado for resultado, accion in ACCION_DE.items()}
# What the log wrote for the same event (nothing for a code or an ended session). A failed
# attempt was logged without its account, under the name typed.
EN_EL_REGISTRO = {
    "success": "login",
    "mfa_success": "login",
    "failure": "login_fallido",
    "locked": "login_fallido",
    "logout": "logout",
    "expired": "sesion_expirada",
}
SIN_CUENTA = {"failure", "locked"}


def _clave(accion, ip, usuario_id, nombre):
    return (accion, ip, usuario_id, nombre)


def _mas_cercana(filas, momento, usadas):
    """The unused row nearest in time to `momento` within the window, or None."""
    mejor = None
    for fecha, pk in filas:
        if pk in usadas or abs(fecha - momento) > VENTANA:
            continue
        if mejor is None or abs(fecha - momento) < abs(mejor[0] - momento):
            mejor = (fecha, pk)
    return mejor[1] if mejor else None


def al_registro(apps, schema_editor):
    EventoAcceso = apps.get_model("accounts", "EventoAcceso")
    Registro = apps.get_model("actividad", "RegistroActividad")
    usadas = set()
    ultimo = None
    while True:  # by batches, in time order (keyset on the date and the id)
        eventos = EventoAcceso.objects.order_by("at", "id")
        if ultimo is not None:
            eventos = eventos.filter(Q(at__gt=ultimo[0]) | Q(at=ultimo[0], pk__gt=ultimo[1]))
        lote = list(eventos[:LOTE])
        if not lote:
            return
        _fusionar(Registro, lote, usadas)
        ultimo = (lote[-1].at, lote[-1].pk)


def _fusionar(Registro, lote, usadas):
    candidatas = Registro.objects.filter(
        accion__in=["login", "login_fallido", "logout", "sesion_expirada", "bloqueo"],
        fecha__gte=lote[0].at - VENTANA,
        fecha__lte=lote[-1].at + VENTANA,
    ).values_list("pk", "fecha", "accion", "ip", "usuario_id", "nombre_usuario")
    por_clave, bloqueos = {}, {}
    for pk, fecha, accion, ip, usuario_id, nombre in candidatas:
        if pk in usadas:
            continue
        por_clave.setdefault(_clave(accion, ip, usuario_id, nombre), []).append((fecha, pk))
        if accion == "bloqueo" and usuario_id is None:
            bloqueos.setdefault(ip, []).append((fecha, pk))
    cambiadas, nuevas, sobrantes = [], [], []
    for evento in lote:
        datos = {
            "accion": ACCION_DE[evento.result],
            "usuario_id": evento.user_id,
            "nombre_usuario": evento.identifier[:254],
            "agente_usuario": evento.user_agent,
        }
        pk = None
        if evento.result in EN_EL_REGISTRO:
            sin_cuenta = evento.result in SIN_CUENTA
            clave = _clave(
                EN_EL_REGISTRO[evento.result],
                evento.ip,
                None if sin_cuenta else evento.user_id,
                evento.identifier[:254],
            )
            pk = _mas_cercana(por_clave.get(clave, []), evento.at, usadas)
        if evento.result == "locked":
            bloqueo = _mas_cercana(bloqueos.get(evento.ip, []), evento.at, usadas)
            if bloqueo is not None:
                usadas.add(bloqueo)
                if pk is None:
                    pk = bloqueo
                else:
                    sobrantes.append(bloqueo)
        if pk is None:
            nuevas.append(Registro(fecha=evento.at, ip=evento.ip, **datos))
        else:
            usadas.add(pk)
            cambiadas.append(Registro(pk=pk, **datos))
    campos = ["accion", "usuario_id", "nombre_usuario", "agente_usuario"]
    Registro.objects.bulk_update(cambiadas, campos, batch_size=500)
    Registro.objects.bulk_create(nuevas, batch_size=500)
    Registro.objects.filter(pk__in=sobrantes).delete()


def del_registro(apps, schema_editor):
    EventoAcceso = apps.get_model("accounts", "EventoAcceso")
    Registro = apps.get_model("actividad", "RegistroActividad")
    accesos = Registro.objects.filter(accion__in=list(RESULTADO_DE)).order_by("fecha", "id")
    lote = []
    for fila in accesos.iterator(chunk_size=LOTE):
        lote.append(
            EventoAcceso(
                at=fila.fecha,
                user_id=fila.usuario_id,
                identifier=fila.nombre_usuario,
                ip=fila.ip,
                user_agent=fila.agente_usuario,
                result=RESULTADO_DE[fila.accion],
            )
        )
        if len(lote) >= LOTE:
            EventoAcceso.objects.bulk_create(lote)
            lote = []
    EventoAcceso.objects.bulk_create(lote)
    Registro.objects.filter(accion__in=["codigo_incorrecto", "sesion_terminada"]).delete()
    Registro.objects.filter(accion="login_con_codigo").update(accion="login")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_mfa_totp"),
        ("actividad", "0003_accesos"),
    ]

    operations = [migrations.RunPython(al_registro, del_registro)]
