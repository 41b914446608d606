// What the production pages' grids and forms do alike (the sheet, the GPU board, the month's
// reports beside the sheet): start once the page is parsed, tell a notice, count the changes
// not saved, send JSON to the API and tell why it refused it, follow the window's width, ask
// before leaving with changes. Loaded before the scripts that use it, as
// `window.sascopProduccion`.
(function () {
  "use strict";

  // Run `iniciar` once the document is parsed (at once when it already is).
  function alCargar(iniciar) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", iniciar);
    } else {
      iniciar();
    }
  }

  // A function that shows a text in the notice `aviso` (an .alert of the kind `clase`,
  // alert-info when none is said): an error as an alert, the rest as a status; an empty
  // text hides it. Without a notice on the page it does nothing.
  function avisador(aviso) {
    return function (texto, clase) {
      if (!aviso) {
        return;
      }
      aviso.textContent = texto;
      aviso.className = "alert " + (clase || "alert-info");
      aviso.setAttribute("role", clase === "alert-error" ? "alert" : "status");
      aviso.hidden = !texto;
    };
  }

  // "No changes", "1 change" or "N changes" (the page's texts `T`) in `estado`; the save
  // button takes clicks only when there is something to save.
  function contarCambios(total, T, estado, botonGuardar) {
    if (estado) {
      estado.textContent =
        total === 0 ? T.sin_cambios : total === 1 ? T.un_cambio : T.cambios.replace("%(n)s", total);
    }
    if (botonGuardar) {
      botonGuardar.disabled = total === 0;
    }
    return total;
  }

  // Send `cuerpo` as JSON to the API at `url` with the session's CSRF token and, when given,
  // the version it was read at (If-Match) and more headers (`extra`).
  function enviar(url, metodo, cuerpo, version, extra) {
    var cabeceras = Object.assign(
      {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": window.sascopCsrf(),
      },
      extra || {}
    );
    if (version !== undefined) {
      cabeceras["If-Match"] = version;
    }
    return fetch(url, {
      method: metodo,
      credentials: "same-origin",
      headers: cabeceras,
      body: JSON.stringify(cuerpo),
    });
  }

  // Read the API's document at `url` again.
  function releer(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  }

  // Why the API refused a request, from its error body: the message, then every field's.
  function motivo(error, status) {
    var campos = Object.keys(error.fields || {}).map(function (k) {
      return error.fields[k].join(" ");
    });
    return [error.detail || error.error || status].concat(campos).join(" ");
  }

  // The API document a grid edits, as read at `version` (its ETag). `leer` takes a
  // response's body and ETag; `releer` reads the document again; `guardar` sends the changes
  // with If-Match and tells the page (`pagina`: its texts `T`, `cargar(nuevos, conservar)`,
  // `avisar`, `contar`) how it went: saved (the document as the server now holds it, or,
  // when the page has `fusionar(cambios)`, only what changed: the save asks for it with
  // `Prefer: return=minimal` and the server says it answered so), changed
  // by someone else meanwhile (a 412: read again, keeping what this user changed), refused
  // (the page's own `rechazo(respuesta, error)` first, when it says it told it), or no
  // network.
  function documento(url, version) {
    var doc = { version: version };
    doc.leer = function (respuesta) {
      doc.version = respuesta.headers.get("ETag") || doc.version;
      return respuesta.json();
    };
    doc.releer = function () {
      return releer(url).then(doc.leer);
    };
    doc.guardar = function (metodo, cuerpo, pagina) {
      var T = pagina.T;
      function cargar(respuesta, conservar, texto, clase) {
        var minima = /return=minimal/.test(respuesta.headers.get("Preference-Applied") || "");
        return doc.leer(respuesta).then(function (nuevos) {
          var hecho = minima ? pagina.fusionar(nuevos) : pagina.cargar(nuevos, conservar);
          return hecho.then(function () {
            pagina.avisar(texto, clase);
          });
        });
      }
      var prefer = pagina.fusionar ? { Prefer: "return=minimal" } : undefined;
      return enviar(url, metodo, cuerpo, doc.version, prefer)
        .then(function (r) {
          if (r.ok) {
            return cargar(r, false, T.guardado, "alert-success");
          }
          if (r.status === 412) {
            return releer(url).then(function (r2) {
              return cargar(r2, true, T.conflicto, "alert-warning");
            });
          }
          return r.json().then(function (error) {
            var dicho = pagina.rechazo && pagina.rechazo(r, error);
            if (dicho) {
              // the page told it its own way
            } else if (r.status === 409 && error.firmados) {
              pagina.avisar(T.firmados, "alert-error");
            } else {
              pagina.avisar(T.no_guardado + " " + motivo(error, r.status), "alert-error");
            }
            pagina.contar();
          });
        })
        .catch(function () {
          pagina.avisar(T.sin_red, "alert-error");
          pagina.contar();
        });
    };
    return doc;
  }

  // Once the page is parsed, start its grid `iniciar(nodo, config, T, documento)` in the
  // element `nodoId`, as the page hands it over: `config` (json_script `datosId`: the API's
  // document in `datos`, its ETag in `version`, its address in `api`), the texts people read
  // `T` (json_script `textosId`), the `documento` it edits. Not when the page has no grid (or
  // Tabulator did not load).
  function alCargarRejilla(nodoId, datosId, textosId, iniciar) {
    alCargar(function () {
      var nodo = document.getElementById(nodoId);
      var fuente = document.getElementById(datosId);
      if (!nodo || !fuente || typeof Tabulator === "undefined") {
        return;
      }
      var config = JSON.parse(fuente.textContent);
      var T = JSON.parse(document.getElementById(textosId).textContent);
      iniciar(nodo, config, T, documento(config.api, config.version));
    });
  }

  // A Tabulator grid of rows by `id` in `nodo` (with `opciones`), named `etiqueta` for screen
  // readers; once it is built, `alConstruir()`, and then it says it is ready (`data-lista`).
  function tabla(nodo, opciones, etiqueta, alConstruir) {
    var grid = new Tabulator(
      nodo,
      Object.assign({ index: "id", layout: "fitData", renderHorizontal: "basic" }, opciones)
    );
    grid.on("tableBuilt", function () {
      (nodo.querySelector('[role="grid"]') || nodo).setAttribute("aria-label", etiqueta);
      // A grid owns rows only: its scrolling box is not a stop of its own (the cells are).
      var holder = nodo.querySelector(".tabulator-tableholder");
      if (holder) {
        holder.removeAttribute("tabindex");
      }
      alConstruir();
      nodo.setAttribute("data-lista", "1");
    });
    return grid;
  }

  // Open the editor of `row`'s cell `campo` in the grid `tabla` (in `nodo`), brought into
  // view: right of the frozen columns, `margen` px inside the other edges.
  function abrirCelda(tabla, nodo, row, campo, margen) {
    var el = row.getElement();
    if (!el || !el.isConnected) {
      tabla.scrollToRow(row, "nearest", false).then(function () {
        row.getCell(campo).edit();
      });
      return;
    }
    var cell = row.getCell(campo);
    cell.edit();
    var holder = nodo.querySelector(".tabulator-tableholder");
    var celda = cell.getElement();
    if (!holder || !celda) {
      return;
    }
    var caja = celda.getBoundingClientRect();
    var visible = holder.getBoundingClientRect();
    var izquierda = visible.left;
    el.querySelectorAll(".tabulator-frozen-left").forEach(function (f) {
      izquierda = Math.max(izquierda, f.getBoundingClientRect().right);
    });
    if (caja.left < izquierda) {
      holder.scrollLeft -= izquierda - caja.left;
    } else if (caja.right > visible.right - margen) {
      holder.scrollLeft += caja.right - (visible.right - margen);
    }
    if (caja.top < visible.top) {
      holder.scrollTop -= visible.top - caja.top;
    } else if (caja.bottom > visible.bottom - margen) {
      holder.scrollTop += caja.bottom - (visible.bottom - margen);
    }
  }

  // The page around a grid of days (`tabla`): the save button (if any) saves; once the
  // window has been resized (and has stopped for 100 ms) each column takes the width
  // `anchos()` gives its field, each day's column ("d1"…) the width `dia`; leaving the page
  // asks first while `sinGuardar()` says something typed is not saved.
  function rodear(tabla, anchos, botonGuardar, guardar, sinGuardar) {
    if (botonGuardar) {
      botonGuardar.addEventListener("click", guardar);
    }
    var espera = null;
    window.addEventListener("resize", function () {
      clearTimeout(espera);
      espera = setTimeout(function () {
        var nuevas = anchos();
        tabla.getColumns().forEach(function (columna) {
          var campo = /^d\d+$/.test(columna.getField()) ? "dia" : columna.getField();
          if (nuevas[campo] !== undefined) {
            columna.setWidth(nuevas[campo]);
          }
        });
      }, 100);
    });
    window.addEventListener("beforeunload", function (e) {
      if (sinGuardar()) {
        e.preventDefault();
        e.returnValue = "";
      }
    });
  }

  window.sascopProduccion = {
    alCargar: alCargar,
    avisador: avisador,
    contarCambios: contarCambios,
    enviar: enviar,
    releer: releer,
    motivo: motivo,
    documento: documento,
    rodear: rodear,
    alCargarRejilla: alCargarRejilla,
    abrirCelda: abrirCelda,
    tabla: tabla,
  };
})();
