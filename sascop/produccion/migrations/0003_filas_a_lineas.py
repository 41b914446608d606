"""Production moves from the global catalog `Partida` to the lines of each OT's anexo; the
server computes `excedente`. Step 2 of 3: every row gets its anexo line.

Existing rows are kept. Each row goes to the line of its OT's active anexo whose partida key
is the catalog partida's clave (when exactly one line has it). The others get a line made for
them: a price-book anexo `MIGRACION` (in the only contract, or the first by número, or a new
`principal` one) receives one concept per catalog partida still in use (its clave, description
and unit, prices 0), and each OT gets that concept as a line of its active anexo (a version 1
is created for an OT with none). The line's volume is the executed volume of the OT's family
on that partida, so migrating invents no excedente; the client's old `es_excedente` flag is
dropped. Run `manage.py recalcular_excedentes` afterwards if rows were mapped onto anexos
that already existed.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import migrations, models
from django.db.models import Sum

SECCION = "Catálogo de partidas anterior (migración)"


def _clave(texto):
    return str(texto).strip().rstrip(".").upper()


def _orden(clave):
    partes = clave.replace("-", ".").split(".")
    return ".".join(p.zfill(6) if p.isdigit() else p for p in partes)[:200]


def a_lineas(apps, schema_editor):
    Produccion = apps.get_model("produccion", "Produccion")
    if not Produccion.objects.exists():
        return
    OT = apps.get_model("ots", "OT")
    Partida = apps.get_model("catalogos", "Partida")
    Contrato = apps.get_model("precios", "Contrato")
    Anexo = apps.get_model("precios", "Anexo")
    Concepto = apps.get_model("precios", "Concepto")
    AnexoOT = apps.get_model("precios", "AnexoOT")
    PartidaAnexoOT = apps.get_model("precios", "PartidaAnexoOT")

    raiz = {
        pk: principal or pk
        for pk, principal in OT.objects.values_list("pk", "ot_principal_id").iterator()
    }
    partidas = {p.pk: p for p in Partida.objects.select_related("unidad")}
    # 1. Onto the OT's active anexo, where a line has the partida's key.
    lineas = defaultdict(list)
    for pk, ot_id, clave in PartidaAnexoOT.objects.filter(anexo_ot__activo=True).values_list(
        "pk", "anexo_ot__ot_id", "concepto__partida"
    ):
        lineas[(ot_id, _clave(clave))].append(pk)
    grupos = (
        Produccion.objects.values("ot_id", "partida_id")
        .annotate(total=Sum("volumen_produccion"))
        .order_by("ot_id", "partida_id")
    )
    sin_linea = []
    for grupo in grupos:
        clave = _clave(partidas[grupo["partida_id"]].clave)
        candidatas = lineas.get((grupo["ot_id"], clave), [])
        if len(candidatas) == 1:
            Produccion.objects.filter(
                ot_id=grupo["ot_id"], partida_id=grupo["partida_id"]
            ).update(partida_anexo_id=candidatas[0])
        else:
            sin_linea.append(grupo)
    if not sin_linea:
        return

    # 2. The rest onto lines of a MIGRACION anexo made for them.
    contrato = Contrato.objects.order_by("numero").first()
    if contrato is None:
        contrato = Contrato.objects.create(numero="principal")
    anexo, _ = Anexo.objects.get_or_create(
        contrato=contrato, clave="MIGRACION", defaults={"descripcion": SECCION}
    )
    conceptos = {}
    for partida_id in sorted({g["partida_id"] for g in sin_linea}):
        partida = partidas[partida_id]
        clave = _clave(partida.clave)
        conceptos[partida_id], _ = Concepto.objects.get_or_create(
            anexo=anexo,
            partida=clave,
            defaults={
                "orden": _orden(clave),
                "concepto": partida.descripcion,
                "unidad": partida.unidad.clave.upper(),
                "seccion": SECCION,
            },
        )
    familia = defaultdict(Decimal)
    for grupo in sin_linea:
        familia[(raiz[grupo["ot_id"]], grupo["partida_id"])] += grupo["total"]
    for grupo in sin_linea:
        ot_id = grupo["ot_id"]
        activo = AnexoOT.objects.filter(ot_id=ot_id, activo=True).first()
        if activo is None:
            activo = AnexoOT.objects.create(
                ot_id=ot_id, version=1, activo=True, nombre_archivo="migración"
            )
        ultima = activo.partidas.aggregate(m=models.Max("orden"))["m"] or 0
        concepto = conceptos[grupo["partida_id"]]
        linea = PartidaAnexoOT.objects.filter(anexo_ot=activo, concepto=concepto).first()
        if linea is None:
            linea = PartidaAnexoOT.objects.create(
                anexo_ot=activo,
                concepto=concepto,
                volumen=familia[(raiz[ot_id], grupo["partida_id"])],
                pu_mn=Decimal("0"),
                pu_usd=Decimal("0"),
                orden=ultima + 1,
            )
        Produccion.objects.filter(ot_id=ot_id, partida_id=grupo["partida_id"]).update(
            partida_anexo_id=linea.pk
        )


class Migration(migrations.Migration):
    # Its own migration (its own transaction): PostgreSQL refuses to alter a table with
    # pending deferred-constraint checks from the updates.
    dependencies = [("produccion", "0002_partida_anexo")]

    operations = [migrations.RunPython(a_lineas, migrations.RunPython.noop, elidable=False)]
