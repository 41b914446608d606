// The GPU board as a grid (Tabulator): per line of the OT's C-2 and C-3 anexos (and kind
// of time and site) and day, the GPU state of that day's production row in its colour,
// editable from the keyboard; the active cell's evidence link and note below the grid.
//
// The page hands over the board (json_script "datos-gpu": the API's document, its ETag,
// the API address, whether this user may edit and sign) and the texts people read
// ("textos-gpu", translated by the server). Saving sends the changed records (PUT with
// If-Match); a 412 reads the board again and keeps what this user changed.
(function () {
  "use strict";

  var P = window.sascopProduccion;
  var CORTOS = { PENDIENTE: "P", PROCESO: "PR", "FALTA FIRMA PEMEX": "FP", FIRMADO: "F" };
  var ENLACE = /^https?:\/\/[^\s/$.?#][^\s]*$/i;

  function iniciar(nodo, config, T, documento) {
    var datos = config.datos;
    var n = datos.dias.length;
    var formato = new Intl.NumberFormat("es-MX", { maximumFractionDigits: 4 });
    var botonGuardar = document.getElementById("guardar-gpu");
    var estado = document.getElementById("estado-gpu");
    var avisar = P.avisador(document.getElementById("aviso-gpu"));
    var titulo = document.getElementById("titulo-detalle-gpu");
    var campoEvidencia = document.getElementById("evidencia-gpu");
    var campoNota = document.getElementById("nota-gpu");
    var abrirEvidencia = document.getElementById("abrir-evidencia-gpu");

    // By production id: the record as the server holds it (`base`) and as edited (`actual`).
    var base = {};
    var actual = {};
    var activo = null; // {row, dia, id}

    function clave(r) {
      return r.partida_anexo + "-" + r.tipo_tiempo + "-" + r.sitio;
    }

    function leer(nuevos) {
      base = {};
      var filas = [];
      var porClave = {};
      nuevos.registros.forEach(function (r) {
        base[r.produccion] = r;
        var k = clave(r);
        var fila = porClave[k];
        if (!fila) {
          fila = {
            id: k,
            clave: (r.anexo + " " + r.partida).trim(),
            concepto: r.concepto,
            lugar: r.tipo_tiempo + " · " + r.sitio_descripcion,
          };
          porClave[k] = fila;
          filas.push(fila);
        }
        fila["d" + r.dia] = r.produccion;
      });
      return filas;
    }

    function copia(r) {
      return { estatus: r.estatus, evidencia: r.evidencia, nota: r.nota };
    }

    function cambiado(id) {
      var a = actual[id];
      var b = base[id];
      return Boolean(a && b && (a.estatus !== b.estatus || a.evidencia !== b.evidencia || a.nota !== b.nota));
    }

    function registro(id) {
      if (!actual[id]) {
        actual[id] = copia(base[id]);
      }
      return actual[id];
    }

    function editableEstado(id) {
      var r = base[id];
      if (!r || !config.editable || r.dia_firmado) {
        return false;
      }
      return config.firma || r.estatus !== "FIRMADO";
    }

    // A cell opens (and Tab stops on it) when this user may change something of it.
    function abrible(id) {
      var r = base[id];
      return Boolean(r && config.editable && !r.dia_firmado);
    }

    function editableCampos(id) {
      var r = base[id];
      return Boolean(r && config.editable && !r.dia_firmado);
    }

    function nombreFila(fila) {
      return fila.clave + " " + fila.concepto + " · " + fila.lugar;
    }

    // --- drawing ---------------------------------------------------------------------------

    function formatoDia(cell) {
      var el = cell.getElement();
      var id = cell.getValue();
      var fila = cell.getRow().getData();
      var dia = Number(cell.getField().slice(1));
      el.classList.remove("gpu-vacia", "dia-firmado", "cambiada", "solo-lectura");
      if (!id || !base[id]) {
        el.classList.add("gpu-vacia");
        el.removeAttribute("data-estado");
        el.title = T.sin_produccion;
        return "";
      }
      var r = registro(id);
      var b = base[id];
      el.setAttribute("data-estado", r.estatus);
      el.classList.toggle("dia-firmado", b.dia_firmado);
      el.classList.toggle("solo-lectura", !editableEstado(id));
      el.classList.toggle("cambiada", cambiado(id));
      var notas = [
        nombreFila(fila) + ", " + dia,
        T.estados[r.estatus] + " (" + r.estatus + ")",
        T.volumen + " " + formato.format(Number(b.volumen)),
      ];
      if (r.evidencia) {
        notas.push(T.evidencia + ": " + r.evidencia);
      }
      if (r.nota) {
        notas.push(T.nota + ": " + r.nota);
      }
      if (b.dia_firmado) {
        notas.push(T.dia_firmado);
      } else if (config.editable && !editableEstado(id)) {
        notas.push(T.sin_firma);
      }
      el.title = notas.join(" · ");
      var caja = document.createElement("span");
      caja.className = "caja-gpu";
      caja.textContent = CORTOS[r.estatus] || r.estatus;
      if (r.evidencia || r.nota) {
        var marca = document.createElement("span");
        marca.className = "marca-gpu";
        marca.setAttribute("aria-hidden", "true");
        caja.appendChild(marca);
      }
      return caja;
    }

    function formatoPartida(cell) {
      var fila = cell.getRow().getData();
      cell.getElement().title = nombreFila(fila);
      var caja = document.createElement("span");
      caja.className = "caja-partida";
      var fuerte = document.createElement("strong");
      fuerte.textContent = fila.clave;
      var concepto = document.createElement("span");
      concepto.className = "concepto";
      concepto.textContent = fila.concepto;
      var lugar = document.createElement("span");
      lugar.className = "lugar-gpu tenue";
      lugar.textContent = " · " + fila.lugar;
      caja.append(fuerte, " ", concepto, lugar);
      return caja;
    }

    // --- counting, telling -----------------------------------------------------------------

    function pendientes() {
      return Object.keys(actual).filter(cambiado).length;
    }

    function contar() {
      P.contarCambios(pendientes(), T, estado, botonGuardar);
    }

    // --- the active cell's evidence and note ------------------------------------------------

    function mostrarDetalle() {
      var id = activo && activo.id;
      var b = id && base[id];
      if (!b) {
        titulo.textContent = T.ninguna;
        campoEvidencia.value = "";
        campoNota.value = "";
        campoEvidencia.disabled = campoNota.disabled = true;
        abrirEvidencia.hidden = true;
        return;
      }
      var r = registro(id);
      var fila = activo.row.getData();
      titulo.textContent = [
        nombreFila(fila),
        T.dia.replace("%(dia)s", activo.dia),
        T.volumen + " " + formato.format(Number(b.volumen)),
        r.estatus,
      ].join(" · ");
      campoEvidencia.value = r.evidencia;
      campoNota.value = r.nota;
      campoEvidencia.disabled = campoNota.disabled = !editableCampos(id);
      campoEvidencia.removeAttribute("aria-invalid");
      abrirEvidencia.hidden = !ENLACE.test(r.evidencia);
      abrirEvidencia.href = ENLACE.test(r.evidencia) ? r.evidencia : "#";
    }

    function alEscribir(campo, nombre) {
      campo.addEventListener("input", function () {
        if (!activo || !base[activo.id]) {
          return;
        }
        var r = registro(activo.id);
        r[nombre] = campo.value.trim();
        if (nombre === "evidencia") {
          var malo = r.evidencia !== "" && !ENLACE.test(r.evidencia);
          campo.setAttribute("aria-invalid", malo ? "true" : "false");
          campo.title = malo ? T.enlace_malo : "";
          abrirEvidencia.hidden = malo || !r.evidencia;
          abrirEvidencia.href = malo || !r.evidencia ? "#" : r.evidencia;
        }
        activo.row.reformat();
        contar();
      });
      campo.addEventListener("keydown", function (e) {
        if ((e.key === "Enter" || e.key === "Escape") && activo) {
          e.preventDefault();
          abrir(activo.row, activo.dia);
        }
      });
    }
    alEscribir(campoEvidencia, "evidencia");
    alEscribir(campoNota, "nota");

    // --- moving ----------------------------------------------------------------------------

    function abrir(row, dia) {
      P.abrirCelda(tabla, nodo, row, "d" + dia, 4);
    }

    function tieneDia(row, dia) {
      return abrible(row.getData()["d" + dia]);
    }

    function mover(row, dia, dFila, dDia) {
      if (dDia) {
        for (var d = dia + dDia; d >= 1 && d <= n; d += dDia) {
          if (tieneDia(row, d)) {
            abrir(row, d);
            return;
          }
        }
      } else if (dFila) {
        var filas = tabla.getRows("active");
        for (var i = filas.indexOf(row) + dFila; i >= 0 && i < filas.length; i += dFila) {
          if (tieneDia(filas[i], dia)) {
            abrir(filas[i], dia);
            return;
          }
        }
      }
      abrir(row, dia);
    }

    // --- the editor: a select of the four states --------------------------------------------

    function editor(cell, onRendered, success, cancel) {
      var id = cell.getValue();
      var row = cell.getRow();
      var dia = Number(cell.getField().slice(1));
      var r = registro(id);
      var original = r.estatus;
      var cerrado = false;
      activo = { row: row, dia: dia, id: id };
      mostrarDetalle();
      var select = document.createElement("select");
      select.className = "editor-gpu";
      select.setAttribute(
        "aria-label",
        T.estado_dia.replace("%(linea)s", nombreFila(row.getData())).replace("%(dia)s", dia)
      );
      config.estados.forEach(function (valor) {
        var opcion = document.createElement("option");
        opcion.value = valor;
        opcion.textContent = valor;
        // Without the signing permissions FIRMADO is neither set nor cleared.
        opcion.disabled =
          !config.firma && valor !== original && (valor === "FIRMADO" || original === "FIRMADO");
        select.appendChild(opcion);
      });
      select.value = original;
      select.setAttribute("data-estado", original);

      function cerrar() {
        if (cerrado) {
          return;
        }
        cerrado = true;
        var nuevo = select.value;
        if (select.isConnected) {
          cancel();
        }
        if (nuevo !== r.estatus) {
          r.estatus = nuevo;
        }
        row.reformat();
        contar();
      }

      function marcar(valor) {
        select.value = valor;
        select.setAttribute("data-estado", valor);
        r.estatus = valor; // the panel and the count follow as the state is chosen
        mostrarDetalle();
        contar();
      }
      select.addEventListener("change", function () {
        marcar(select.value);
      });
      onRendered(function () {
        select.focus({ preventScroll: true });
      });
      select.addEventListener("blur", function () {
        cerrar();
      });
      select.addEventListener("keydown", function (e) {
        var tecla = e.key;
        var movimiento = null;
        if (tecla === "Tab") {
          movimiento = e.shiftKey ? [0, -1] : [0, 1];
        } else if (tecla === "ArrowRight") {
          movimiento = [0, 1];
        } else if (tecla === "ArrowLeft") {
          movimiento = [0, -1];
        } else if (tecla === "Enter") {
          movimiento = e.shiftKey ? [-1, 0] : [1, 0];
        }
        if (movimiento) {
          e.preventDefault();
          e.stopPropagation();
          cerrar();
          mover(row, dia, movimiento[0], movimiento[1]);
          return;
        }
        if (tecla === "Escape") {
          e.preventDefault();
          e.stopPropagation();
          marcar(original);
          return;
        }
        if (tecla === "F2") {
          e.preventDefault();
          e.stopPropagation();
          cerrar();
          if (!campoEvidencia.disabled) {
            campoEvidencia.focus();
          }
          return;
        }
        if (/^[1-4]$/.test(tecla)) {
          var opcion = select.options[Number(tecla) - 1];
          if (opcion && !opcion.disabled) {
            marcar(opcion.value);
          }
          e.preventDefault();
        }
        e.stopPropagation();
      });
      return select;
    }

    // --- columns -----------------------------------------------------------------------------

    function anchos() {
      var ancho = nodo.clientWidth;
      var partida = ancho < 700 ? 130 : 300;
      return { clave: partida, dia: Math.max(34, Math.floor((ancho - partida - 4) / n)) };
    }
    var medidas = anchos();
    var columnas = [
      {
        title: T.partida,
        field: "clave",
        frozen: true,
        width: medidas.clave,
        headerSort: false,
        formatter: formatoPartida,
        cssClass: "col-partida",
      },
    ];
    datos.dias.forEach(function (dia) {
      columnas.push({
        title: String(dia),
        field: "d" + dia,
        width: medidas.dia,
        minWidth: 34,
        headerSort: false,
        hozAlign: "center",
        headerHozAlign: "center",
        cssClass: "col-dia",
        formatter: formatoDia,
        editor: editor,
        editable: function (cell) {
          return abrible(cell.getValue());
        },
      });
    });

    var tabla = P.tabla(
      nodo,
      { data: leer(datos), columns: columnas, maxHeight: "70vh" },
      T.etiqueta,
      contar
    );

    // --- saving ------------------------------------------------------------------------------

    // The board read again: what this user changed and did not save stays on top.
    function cargar(nuevos, conservar) {
      var mios = {};
      if (conservar) {
        Object.keys(actual).forEach(function (id) {
          if (cambiado(id)) {
            mios[id] = actual[id];
          }
        });
      }
      datos = nuevos;
      var filas = leer(nuevos);
      actual = {};
      Object.keys(mios).forEach(function (id) {
        if (base[id]) {
          actual[id] = mios[id];
        }
      });
      return tabla.replaceData(filas).then(function () {
        if (activo) {
          var row = tabla.getRow(activo.row.getData().id);
          activo = row && row.getData()["d" + activo.dia] ? { row: row, dia: activo.dia, id: row.getData()["d" + activo.dia] } : null;
        }
        mostrarDetalle();
        contar();
      });
    }

    function guardar() {
      var activoEl = document.activeElement;
      if (activoEl && activoEl.classList.contains("editor-gpu")) {
        activoEl.blur();
      }
      var registros = Object.keys(actual)
        .filter(cambiado)
        .map(function (id) {
          var r = actual[id];
          return { produccion: Number(id), estatus: r.estatus, evidencia: r.evidencia, nota: r.nota };
        });
      if (!registros.length) {
        return;
      }
      botonGuardar.disabled = true;
      estado.textContent = T.guardando;
      documento.guardar(
        "PUT",
        { registros: registros },
        { T: T, cargar: cargar, avisar: avisar, contar: contar }
      );
    }

    P.rodear(tabla, anchos, botonGuardar, guardar, function () {
      return pendientes() > 0;
    });
  }

  P.alCargarRejilla("tablero-gpu", "datos-gpu", "textos-gpu", iniciar);
})();
