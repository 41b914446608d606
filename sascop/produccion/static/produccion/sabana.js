// The monthly sheet (sábana) as a spreadsheet grid (Tabulator): per line of the OT's anexo
// and day, the programmed volume (muted) and the executed one, editable from the keyboard.
//
// The page hands over the sheet (json_script "datos-rejilla": the API's document, its ETag,
// the API address, whether this user may edit, the first day still to come) and the texts
// people read ("textos-rejilla", translated by the server). Saving sends only the cells
// that changed (PATCH with If-Match); a 412 keeps what was typed and marks the cells someone
// else changed meanwhile. A first row, frozen, holds each day's report state ("Reporte
// diario"): set to FIRMADO, that day's cells stop taking changes at once.
(function () {
  "use strict";

  var P = window.sascopProduccion;

  // A quantity as Excel shows it in Mexico: `1,234.5`, `1234.5`, `12`, or a decimal comma
  // `0,9`. The same rule as the paste capture's (produccion/captura.py, leer_volumen).
  var MILES = /^\d{1,3}(,\d{3})+(\.\d+)?$/;
  var NUMERO = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

  function leerVolumen(texto) {
    var t = String(texto).trim().replace(/ /g, "");
    if (MILES.test(t)) {
      t = t.replace(/,/g, "");
    } else if ((t.match(/,/g) || []).length === 1 && t.indexOf(".") === -1) {
      t = t.replace(",", ".");
    }
    return NUMERO.test(t) ? t : null;
  }
  window.sascopLeerVolumen = leerVolumen;

  function iniciar(nodo, config, T, documento) {
    var datos = config.datos;
    var n = datos.dias.length;
    var formato = new Intl.NumberFormat("es-MX", { maximumFractionDigits: 4 });
    var dinero = new Intl.NumberFormat("es-MX", { style: "currency", currency: "MXN" });
    var botonGuardar = document.getElementById("guardar-rejilla");
    var estado = document.getElementById("estado-rejilla");
    var avisar = P.avisador(document.getElementById("aviso-rejilla"));

    // What the server holds (`base`), what cannot be saved as typed (`invalidas`), what
    // someone else changed meanwhile (`ajenas`): by line id, then day.
    var base = {};
    var invalidas = {};
    var ajenas = {};
    var lineas = {};
    var deshacer = [];
    var enEdicion = null; // {cell, input, original}
    // The cells that differ from `base` ("<line>:<day>"), kept as they change: counting
    // them on each keystroke would read every cell of a 500-line month.
    var sucias = new Set();

    function soloLectura(dia) {
      return datos.reportes[String(dia)] === "FIRMADO" || dia >= config.primer_dia_futuro;
    }
    function porQueSoloLectura(dia) {
      if (datos.reportes[String(dia)] === "FIRMADO") {
        return T.firmado;
      }
      return dia >= config.primer_dia_futuro ? T.futuro : "";
    }
    function editable(dia) {
      return config.editable && !soloLectura(dia);
    }
    var REPORTE = "reporte";
    function esReporte(row) {
      return row.getData().id === REPORTE;
    }
    function lineasDe(filas) {
      return filas.filter(function (row) {
        return !esReporte(row);
      });
    }

    // A typed text as the cell keeps it: "" (empty: deletes the day), a number as the API
    // takes it, or the text itself when it is not a volume (with the reason).
    function normalizar(texto) {
      var t = String(texto).trim();
      if (t === "") {
        return { valor: "", error: null };
      }
      var leido = leerVolumen(t);
      var numero = leido === null ? NaN : Number(leido);
      if (!isFinite(numero)) {
        return { valor: t, error: T.no_es_volumen };
      }
      if (numero < 0) {
        return { valor: t, error: T.negativo };
      }
      var unidades = numero * 10000;
      if (Math.abs(unidades - Math.round(unidades)) > 1e-6) {
        return { valor: t, error: T.decimales };
      }
      return { valor: numero === 0 ? "" : String(numero), error: null };
    }

    function sinCeros(texto) {
      return texto ? String(Number(texto)) : "";
    }

    function filaDe(partida) {
      var fila = {
        id: partida.partida_anexo,
        clave: (partida.anexo + " " + partida.partida).trim(),
        concepto: partida.concepto,
        unidad: partida.unidad,
        autorizado: partida.autorizado,
        importe_mn: partida.importe_mn,
        importe_usd: partida.importe_usd,
      };
      lineas[partida.partida_anexo] = {
        programado: partida.programado,
        prevision: partida.prevision,
      };
      for (var d = 1; d <= n; d++) {
        fila["d" + d] = sinCeros(partida.ejecutado[String(d)]);
      }
      return fila;
    }

    function guardarLinea(p) {
      base[p.partida_anexo] = {};
      for (var d = 1; d <= n; d++) {
        base[p.partida_anexo][d] = sinCeros(p.ejecutado[String(d)]);
      }
    }

    function guardarBase(partidas) {
      base = {};
      partidas.forEach(guardarLinea);
    }

    // Redraw the rows `rows` (a cell's colour depends on its line) and the counts.
    function redibujar(rows) {
      rows.forEach(function (row) {
        row.reformat();
      });
      recontar();
      contar();
    }

    // Each day's excedente if the row were saved as it stands: the way the server
    // accumulates (excedentes.py), from what came before the month and the other sheets.
    function excedentes(fila) {
      var prevision = lineas[fila.id].prevision;
      var tope = Number(prevision.tope);
      var acumulado = Number(prevision.previo);
      var resultado = {};
      for (var d = 1; d <= n; d++) {
        acumulado += Number(prevision.otros[String(d)] || 0);
        var valor = fila["d" + d];
        var volumen = valor && !(invalidas[fila.id] || {})[d] ? Number(valor) : 0;
        if (volumen > 0) {
          var exceso = acumulado + volumen - Math.max(tope, acumulado);
          if (exceso > 1e-9) {
            resultado[d] = Math.min(exceso, volumen);
          }
          acumulado += volumen;
        }
      }
      return resultado;
    }

    // Each row's excedentes, computed once per change of the row, not once per cell drawn.
    var excesos = {};
    function excedentesDe(fila) {
      if (!excesos[fila.id]) {
        excesos[fila.id] = excedentes(fila);
      }
      return excesos[fila.id];
    }

    function cambiada(id, dia, valor) {
      return (base[id] || {})[dia] !== valor;
    }

    function formatoDia(cell) {
      var fila = cell.getRow().getData();
      var dia = Number(cell.getField().slice(1));
      cell.getElement().classList.toggle("solo-lectura", soloLectura(dia));
      if (fila.id === REPORTE) {
        return selectorReporte(cell, dia);
      }
      var valor = cell.getValue() || "";
      var programado = lineas[fila.id].programado[String(dia)];
      var el = cell.getElement();
      var error = (invalidas[fila.id] || {})[dia];
      var exceso = error ? undefined : excedentesDe(fila)[dia];
      var ajena = (ajenas[fila.id] || {})[dia];
      el.classList.toggle("con-excedente", exceso !== undefined);
      el.classList.toggle("cambiada", cambiada(fila.id, dia, valor));
      el.classList.toggle("invalida", Boolean(error));
      el.classList.toggle("ajena", ajena !== undefined);
      var notas = [];
      if (programado) {
        notas.push(T.programado + " " + formato.format(Number(programado)));
      }
      if (exceso !== undefined) {
        notas.push(T.excedente + ": " + formato.format(exceso));
      }
      if (error) {
        notas.push(error);
      }
      if (ajena !== undefined) {
        notas.push(T.ajena + " " + (ajena ? formato.format(Number(ajena)) : "—"));
      }
      if (soloLectura(dia)) {
        notas.push(porQueSoloLectura(dia));
      }
      if (notas.length) {
        el.title = notas.join(" · ");
      } else {
        el.removeAttribute("title");
      }
      var caja = document.createElement("span");
      caja.className = "caja-dia";
      var prog = document.createElement("span");
      prog.className = "programado";
      prog.textContent = programado ? formato.format(Number(programado)) : "";
      var ejec = document.createElement("span");
      ejec.className = "ejecutado";
      ejec.textContent = error ? valor : valor ? formato.format(Number(valor)) : "";
      caja.append(prog, ejec);
      return caja;
    }

    function formatoPartida(cell) {
      var fila = cell.getRow().getData();
      if (fila.id === REPORTE) {
        return fila.clave;
      }
      cell.getElement().title = fila.clave + " · " + fila.concepto + " (" + fila.unidad + ")";
      var caja = document.createElement("span");
      caja.className = "caja-partida";
      var clave = document.createElement("strong");
      clave.textContent = fila.clave;
      var concepto = document.createElement("span");
      concepto.className = "concepto";
      concepto.textContent = fila.concepto;
      caja.append(clave, " ", concepto);
      return caja;
    }

    function diaDe(cell) {
      return Number(cell.getField().slice(1));
    }

    // --- changing cells, undoing -----------------------------------------------------------

    function marcar(id, dia, texto) {
      var leido = normalizar(texto);
      delete excesos[id];
      invalidas[id] = invalidas[id] || {};
      if (leido.error) {
        invalidas[id][dia] = leido.error;
      } else {
        delete invalidas[id][dia];
      }
      return leido.valor;
    }

    // Set cells ([{row, dia, texto}]) as one step that Ctrl+Z undoes.
    function cambiar(cambios, registrar) {
      var paso = [];
      var filas = new Set();
      cambios.forEach(function (c) {
        var id = c.row.getData().id;
        var antes = c.row.getData()["d" + c.dia] || "";
        var despues = marcar(id, c.dia, c.texto);
        if (antes === despues) {
          return;
        }
        var cambio = {};
        cambio["d" + c.dia] = despues;
        c.row.update(cambio);
        if (cambiada(id, c.dia, despues)) {
          sucias.add(id + ":" + c.dia);
        } else {
          sucias.delete(id + ":" + c.dia);
        }
        paso.push({ row: c.row, dia: c.dia, antes: antes });
        filas.add(c.row);
      });
      filas.forEach(function (row) {
        row.reformat();
      });
      if (registrar !== false && paso.length) {
        deshacer.push(paso);
      }
      contar();
      return paso;
    }

    function deshacerUltimo() {
      var paso = deshacer.pop();
      if (!paso) {
        return null;
      }
      cambiar(
        paso.map(function (c) {
          return { row: c.row, dia: c.dia, texto: c.antes };
        }),
        false
      );
      return paso[0];
    }

    function pendientes() {
      return sucias.size;
    }

    function recontar() {
      sucias = new Set();
      lineasDe(tabla.getRows()).forEach(function (row) {
        var fila = row.getData();
        for (var d = 1; d <= n; d++) {
          if (cambiada(fila.id, d, fila["d" + d] || "")) {
            sucias.add(fila.id + ":" + d);
          }
        }
      });
    }

    function contar() {
      return P.contarCambios(pendientes(), T, estado, botonGuardar);
    }

    // --- moving ----------------------------------------------------------------------------

    function abrir(row, dia) {
      P.abrirCelda(tabla, nodo, row, "d" + dia, 16);
    }

    function mover(cell, dFila, dDia) {
      var row = cell.getRow();
      var dia = diaDe(cell);
      if (dFila) {
        var filas = lineasDe(tabla.getRows("active"));
        var i = filas.indexOf(row) + dFila;
        if (i < 0 || i >= filas.length) {
          abrir(row, dia);
          return;
        }
        row = filas[i];
      }
      if (dDia) {
        var d = dia + dDia;
        while (d >= 1 && d <= n && !editable(d)) {
          d += dDia;
        }
        if (d < 1 || d > n) {
          abrir(row, dia);
          return;
        }
        dia = d;
      }
      abrir(row, dia);
    }

    // --- pasting ---------------------------------------------------------------------------

    function pegar(cell, texto) {
      var renglones = texto.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
      var filas = lineasDe(tabla.getRows("active"));
      var inicio = filas.indexOf(cell.getRow());
      var dia = diaDe(cell);
      var cambios = [];
      var fuera = 0;
      renglones.forEach(function (renglon, i) {
        renglon.split("\t").forEach(function (valor, j) {
          var row = filas[inicio + i];
          var d = dia + j;
          if (!row || d > n || !editable(d)) {
            fuera++;
            return;
          }
          cambios.push({ row: row, dia: d, texto: valor });
        });
      });
      cambiar(cambios);
      if (fuera) {
        avisar(T.pegado_fuera, "alert-warning");
      }
    }

    // --- the editor: the active cell is an input ---------------------------------------------

    function editor(cell, onRendered, success, cancel) {
      var input = document.createElement("input");
      var fila = cell.getRow().getData();
      var dia = diaDe(cell);
      var original = cell.getValue() || "";
      var cerrado = false;
      input.type = "text";
      input.inputMode = "decimal";
      input.className = "editor-celda";
      input.value = original;
      input.setAttribute(
        "aria-label",
        fila.clave + " · " + fila.concepto + " · " + dia
      );
      enEdicion = { input: input, original: original };

      function cerrar(guardar) {
        if (cerrado) {
          return;
        }
        cerrado = true;
        enEdicion = null;
        var texto = input.value;
        if (input.isConnected) {
          cancel(); // else the grid redrew the cell already
        }
        if (guardar && texto !== original) {
          cambiar([{ row: cell.getRow(), dia: dia, texto: texto }]);
        }
      }

      onRendered(function () {
        input.focus({ preventScroll: true });
        input.select();
      });
      input.addEventListener("blur", function () {
        cerrar(true);
      });
      input.addEventListener("keydown", function (e) {
        var tecla = e.key;
        var mod = e.ctrlKey || e.metaKey;
        var movimiento = null;
        if (tecla === "Tab") {
          movimiento = e.shiftKey ? [0, -1] : [0, 1];
        } else if (tecla === "ArrowRight" && !mod) {
          movimiento = [0, 1];
        } else if (tecla === "ArrowLeft" && !mod) {
          movimiento = [0, -1];
        } else if (tecla === "ArrowDown" || (tecla === "Enter" && !e.shiftKey)) {
          movimiento = [1, 0];
        } else if (tecla === "ArrowUp" || (tecla === "Enter" && e.shiftKey)) {
          movimiento = [-1, 0];
        }
        if (movimiento) {
          e.preventDefault();
          e.stopPropagation();
          cerrar(true);
          mover(cell, movimiento[0], movimiento[1]);
          return;
        }
        if (tecla === "Escape") {
          e.preventDefault();
          e.stopPropagation();
          input.value = original;
          input.select();
          return;
        }
        if (mod && (tecla === "z" || tecla === "Z")) {
          e.preventDefault();
          e.stopPropagation();
          if (input.value !== original) {
            input.value = original;
            input.select();
            return;
          }
          cerrar(false);
          var vuelta = deshacerUltimo();
          abrir(vuelta ? vuelta.row : cell.getRow(), vuelta ? vuelta.dia : dia);
          return;
        }
        e.stopPropagation();
      });
      input.addEventListener("paste", function (e) {
        var texto = (e.clipboardData || window.clipboardData).getData("text/plain");
        if (!texto || (texto.indexOf("\t") === -1 && texto.indexOf("\n") === -1)) {
          return; // one value: the input takes it as typed
        }
        e.preventDefault();
        cerrar(false);
        pegar(cell, texto);
        abrir(cell.getRow(), dia);
      });
      return input;
    }

    // --- columns -----------------------------------------------------------------------------

    // Widths from the window's: the days share what the frozen columns and the amounts
    // leave (all 31 in sight at 1,920 px), never under 40 px; a narrow window scrolls them.
    var ANCHO_IMPORTE = 110;
    function anchos() {
      var ancho = nodo.clientWidth;
      var angosto = ancho < 700;
      var partida = angosto ? 120 : 240;
      var autorizado = angosto ? 64 : 92;
      var dia = Math.floor((ancho - partida - autorizado - 2 * ANCHO_IMPORTE - 20) / n);
      return { clave: partida, autorizado: autorizado, dia: Math.max(40, dia) };
    }
    var medidas = anchos();
    var anchoPartida = medidas.clave;
    var anchoAutorizado = medidas.autorizado;
    var anchoDia = medidas.dia;

    var columnas = [
      {
        title: T.partida,
        field: "clave",
        frozen: true,
        width: anchoPartida,
        headerSort: false,
        formatter: formatoPartida,
        cssClass: "col-partida",
      },
      {
        title: T.autorizado,
        field: "autorizado",
        frozen: true,
        width: anchoAutorizado,
        headerSort: false,
        hozAlign: "right",
        cssClass: "col-autorizado",
        formatter: function (cell) {
          return esReporte(cell.getRow()) ? "" : formato.format(Number(cell.getValue()));
        },
      },
    ];
    datos.dias.forEach(function (dia) {
      var clases = ["col-dia"];
      columnas.push({
        title: String(dia),
        field: "d" + dia,
        width: anchoDia,
        minWidth: 40,
        headerSort: false,
        hozAlign: "right",
        headerHozAlign: "center",
        cssClass: clases.join(" "),
        formatter: formatoDia,
        editor: editor,
        editable: function (cell) {
          return !esReporte(cell.getRow()) && editable(dia);
        },
      });
    });
    [
      ["importe_mn", T.importe_mn, "MXN"],
      ["importe_usd", T.importe_usd, "USD"],
    ].forEach(function (c) {
      var moneda = new Intl.NumberFormat("es-MX", { style: "currency", currency: c[2] });
      columnas.push({
        title: c[1],
        field: c[0],
        width: ANCHO_IMPORTE,
        headerSort: false,
        hozAlign: "right",
        cssClass: "col-importe",
        formatter: function (cell) {
          return esReporte(cell.getRow()) ? "" : moneda.format(Number(cell.getValue()));
        },
      });
    });
    void dinero;

    guardarBase(datos.partidas);
    var filaReporte = { id: REPORTE, clave: T.reporte_diario, concepto: "", unidad: "" };
    var tabla = P.tabla(
      nodo,
      {
        data: [filaReporte].concat(datos.partidas.map(filaDe)),
        columns: columnas,
        maxHeight: "75vh",
        headerSortClickElement: "icon",
      },
      T.etiqueta,
      function () {
        tabla.getRow(REPORTE).freeze();
        marcarEncabezados();
        contar();
      }
    );

    // --- the daily report row ---------------------------------------------------------------

    function marcarEncabezados() {
      for (var d = 1; d <= n; d++) {
        var col = tabla.getColumn("d" + d);
        var el = col && col.getElement();
        if (el) {
          el.classList.toggle("firmado", datos.reportes[String(d)] === "FIRMADO");
          el.classList.toggle("solo-lectura", soloLectura(d));
          var motivo = porQueSoloLectura(d);
          if (motivo) {
            el.title = motivo;
          } else {
            el.removeAttribute("title");
          }
        }
      }
    }

    function selectorReporte(cell, dia) {
      var reportes = config.reportes;
      var select = document.createElement("select");
      select.className = "estado-reporte";
      select.setAttribute("aria-label", T.reporte_dia.replace("%(dia)s", dia));
      reportes.estados.forEach(function (estado) {
        var opcion = document.createElement("option");
        opcion.value = estado;
        opcion.textContent = estado;
        select.appendChild(opcion);
      });
      var actual = datos.reportes[String(dia)];
      select.value = actual;
      select.title = actual;
      select.setAttribute("data-estado", actual);
      select.disabled = !reportes.editable;
      select.addEventListener("change", function () {
        cambiarReporte(select, dia);
      });
      // The grid's own keys (typing, arrows) are the select's while it has the focus.
      select.addEventListener("keydown", function (e) {
        e.stopPropagation();
      });
      return select;
    }

    function cerrarEditor() {
      var activo = document.activeElement;
      if (activo && activo.classList.contains("editor-celda")) {
        activo.blur();
      }
    }

    function cambiarReporte(select, dia) {
      cerrarEditor();
      var reportes = config.reportes;
      var antes = datos.reportes[String(dia)];
      var nuevo = select.value;
      select.disabled = true;
      P.releer(reportes.api)
        .then(function (r) {
          var cuerpo = { sitios: [{ id: reportes.sitio, reportes: {} }] };
          cuerpo.sitios[0].reportes[String(dia)] = nuevo;
          return P.enviar(reportes.api, "PUT", cuerpo, r.headers.get("ETag") || undefined);
        })
        .then(function (r) {
          if (!r.ok) {
            return r.json().then(function (error) {
              throw new Error(error.detail || error.error || String(r.status));
            });
          }
          // The sheet's ETag moved with the report: read it again as after a 412, keeping
          // what was typed and marking what someone else changed meanwhile, if anything.
          return documento.releer().then(function (nuevos) {
            return cargar(nuevos, true);
          });
        })
        .then(function () {
          marcarEncabezados();
          tabla.getRow(REPORTE).reformat();
          if (Object.keys(ajenas).length) {
            avisar(T.conflicto, "alert-warning");
          }
        })
        .catch(function (error) {
          select.value = antes;
          select.disabled = !reportes.editable;
          avisar(T.reporte_no_guardado + " " + error.message, "alert-error");
        });
    }

    // --- saving ----------------------------------------------------------------------------

    function cargar(nuevos, conservar) {
      var anterior = base;
      var filas = nuevos.partidas.map(filaDe);
      ajenas = {};
      if (conservar) {
        filas.forEach(function (fila) {
          var row = tabla.getRow(fila.id);
          for (var d = 1; d <= n; d++) {
            var servidor = fila["d" + d];
            var antes = (anterior[fila.id] || {})[d];
            if (antes !== undefined && servidor !== antes) {
              ajenas[fila.id] = ajenas[fila.id] || {};
              ajenas[fila.id][d] = servidor;
            }
            if (row) {
              var escrito = row.getData()["d" + d] || "";
              if (escrito !== (antes === undefined ? "" : antes)) {
                fila["d" + d] = escrito; // what this user typed stays
              }
            }
          }
        });
      } else {
        invalidas = {};
        deshacer = [];
      }
      datos = nuevos;
      excesos = {};
      guardarBase(nuevos.partidas);
      return tabla.updateOrAddData(filas).then(function () {
        redibujar(lineasDe(tabla.getRows()));
      });
    }

    // A save's minimal answer (`Prefer: return=minimal`): the lines it saved as the server
    // now holds them, and the month's amounts. Only those rows are redrawn; what was typed
    // meanwhile in other lines stays pending.
    function fusionar(cambios) {
      var porLinea = {};
      cambios.partidas.forEach(function (p) {
        porLinea[p.partida_anexo] = p;
      });
      datos = Object.assign({}, datos, {
        partidas: datos.partidas.map(function (p) {
          return porLinea[p.partida_anexo] || p;
        }),
        subtotales: cambios.subtotales,
        totales: cambios.totales,
        kpis: cambios.kpis,
      });
      var filas = cambios.partidas.map(filaDe);
      cambios.partidas.forEach(function (p) {
        guardarLinea(p);
        delete excesos[p.partida_anexo];
        delete invalidas[p.partida_anexo];
        delete ajenas[p.partida_anexo];
      });
      deshacer = [];
      return tabla.updateData(filas).then(function () {
        redibujar(
          filas
            .map(function (fila) {
              return tabla.getRow(fila.id);
            })
            .filter(Boolean)
        );
      });
    }

    function celdasCambiadas() {
      var partidas = [];
      lineasDe(tabla.getRows()).forEach(function (row) {
        var fila = row.getData();
        var ejecutado = {};
        var alguna = false;
        for (var d = 1; d <= n; d++) {
          var valor = fila["d" + d] || "";
          if (cambiada(fila.id, d, valor)) {
            ejecutado[String(d)] = valor === "" ? null : valor;
            alguna = true;
          }
        }
        if (alguna) {
          partidas.push({ partida_anexo: fila.id, ejecutado: ejecutado });
        }
      });
      return partidas;
    }

    function hayInvalidas() {
      return Object.keys(invalidas).some(function (id) {
        return Object.keys(invalidas[id]).length > 0;
      });
    }

    function guardar() {
      cerrarEditor();
      if (hayInvalidas()) {
        avisar(T.invalidas, "alert-error");
        return Promise.resolve();
      }
      var partidas = celdasCambiadas();
      if (!partidas.length) {
        return Promise.resolve();
      }
      botonGuardar.disabled = true;
      estado.textContent = T.guardando;

      // The cells the server refused (a 400 naming them), marked with its reasons.
      function celdasRechazadas(r, error) {
        if (r.status !== 400 || !error.fields) {
          return false;
        }
        Object.keys(error.fields).forEach(function (campo) {
          var m = /^partidas\[(\d+)\]\.ejecutado\.(\d+)$/.exec(campo);
          if (m && partidas[Number(m[1])]) {
            var id = partidas[Number(m[1])].partida_anexo;
            invalidas[id] = invalidas[id] || {};
            invalidas[id][Number(m[2])] = error.fields[campo].join(" ");
            delete excesos[id];
            var row = tabla.getRow(id);
            if (row) {
              row.reformat();
            }
          }
        });
        avisar(T.celdas_malas, "alert-error");
        return true;
      }

      return documento.guardar(
        "PATCH",
        { partidas: partidas },
        {
          T: T,
          cargar: cargar,
          fusionar: fusionar,
          avisar: avisar,
          contar: contar,
          rechazo: celdasRechazadas,
        }
      );
    }

    P.rodear(tabla, anchos, botonGuardar, guardar, function () {
      var escribiendo = enEdicion && enEdicion.input.value !== enEdicion.original;
      return escribiendo || pendientes() > 0;
    });
  }

  P.alCargarRejilla("rejilla", "datos-rejilla", "textos-rejilla", iniciar);
})();
