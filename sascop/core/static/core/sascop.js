// SASCOP's own script: small enhancements over pages that work without it.
"use strict";

// --- The CSRF token for the pages' own fetch() writes ----------------------------------------
// The one htmx sends, from <body hx-headers> (whatever CSRF_COOKIE_NAME is).
window.sascopCsrf = () =>
  JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";

// --- The idle-timeout notice -------------------------------------------------------------
// The page says when its session ends (`data-expira`, epoch seconds, and the server's clock
// in `data-ahora`, so a wrong clock here does not matter). Five minutes before, the notice
// asks whether to stay; "Seguir conectado" makes one request that counts as activity. At the
// deadline the page reloads, and the server sends it to the login page, which says the
// session expired and comes back here after login.
function avisoDeSesion() {
  const aviso = document.getElementById("aviso-sesion");
  if (!aviso) return;
  const desfase = Number(aviso.dataset.ahora) * 1000 - Date.now();
  const antes = Number(aviso.dataset.antes) * 1000;
  const restante = aviso.querySelector("[data-restante]");
  const seguir = aviso.querySelector("[data-seguir]");
  let fin = Number(aviso.dataset.expira) * 1000 - desfase;
  let espera = null;
  let reloj = null;

  const pedir = (url) =>
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });

  function programar() {
    clearTimeout(espera);
    espera = setTimeout(revisar, Math.max(0, fin - antes - Date.now()));
  }

  function ocultar() {
    clearInterval(reloj);
    aviso.hidden = true;
  }

  function contar() {
    const segundos = Math.round((fin - Date.now()) / 1000);
    if (segundos <= -1) {
      window.location.reload();
      return;
    }
    const s = Math.max(0, segundos);
    const minutos = Math.floor(s / 60);
    restante.textContent =
      minutos > 0 ? `${minutos} min ${String(s % 60).padStart(2, "0")} s` : `${s} s`;
  }

  // /api/session/ only reads: it never extends the session it reports on.
  async function leerEstado() {
    const respuesta = await pedir(aviso.dataset.estado);
    const estado = await respuesta.json();
    if (!estado.authenticated) {
      window.location.reload();
      return false;
    }
    fin = Date.parse(estado.expires_at) - desfase;
    return true;
  }

  async function revisar() {
    // Another tab may have kept the session alive meanwhile: then there is nothing to say.
    try {
      if (!(await leerEstado())) return;
    } catch {
      // Offline for a moment: count on what we knew.
    }
    if (fin - Date.now() > antes + 1000) {
      ocultar();
      programar();
      return;
    }
    if (aviso.hidden) {
      aviso.hidden = false;
      contar();
      reloj = setInterval(contar, 1000);
      seguir.focus();
    }
  }

  seguir.addEventListener("click", async () => {
    seguir.disabled = true;
    try {
      await pedir(aviso.dataset.renovar); // any ordinary request is activity
      if (await leerEstado()) {
        ocultar();
        programar();
      }
    } finally {
      seguir.disabled = false;
    }
  });

  programar();
}

document.addEventListener("DOMContentLoaded", avisoDeSesion);

// --- Charts ------------------------------------------------------------------------------
// Each <canvas data-grafica="ID"> is drawn from the JSON in the element #ID (json_script):
// {etiquetas, series: [{nombre, valores}], formato, enlaces, horizontal}. A bar with a link
// opens the list filtered by it; the same numbers are also in the page as text and links.
const numeroMX = new Intl.NumberFormat("es-MX");
const FORMATOS = {
  entero: (v) => numeroMX.format(v),
  volumen: (v) =>
    new Intl.NumberFormat("es-MX", { minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(v),
  mxn: (v) =>
    new Intl.NumberFormat("es-MX", { style: "currency", currency: "MXN" }).format(v) + " MXN",
};
const CORTO = new Intl.NumberFormat("es-MX", { notation: "compact", maximumFractionDigits: 1 });
const COLORES = ["#0b6fb3", "#f5a300", "#1b5e20", "#8a1c16"];

function recortar(texto, largo) {
  return texto.length > largo ? `${texto.slice(0, largo - 1)}…` : texto;
}

function graficas() {
  if (!window.Chart) return;
  for (const lienzo of document.querySelectorAll("canvas[data-grafica]")) {
    const datos = JSON.parse(document.getElementById(lienzo.dataset.grafica).textContent);
    const formato = FORMATOS[datos.formato] || FORMATOS.entero;
    const eje = datos.horizontal ? "x" : "y";
    const categorias = datos.horizontal ? "y" : "x";
    new window.Chart(lienzo, {
      type: "bar",
      data: {
        labels: datos.etiquetas,
        datasets: datos.series.map((serie, i) => ({
          label: serie.nombre,
          data: serie.valores.map(Number),
          backgroundColor: COLORES[i % COLORES.length],
          borderRadius: 3,
        })),
      },
      options: {
        indexAxis: categorias,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: datos.series.length > 1 },
          tooltip: {
            callbacks: {
              label: (c) => `${c.dataset.label}: ${formato(c.parsed[eje])}`,
              footer: () => (datos.enlaces ? "Clic para ver la lista" : ""),
            },
          },
        },
        scales: {
          [eje]: {
            beginAtZero: true,
            // Counts step by whole numbers: no "0.5 PTEs" on the axis of a small count.
            ticks: {
              precision: datos.formato === "entero" ? 0 : undefined,
              callback: (v) => CORTO.format(v),
            },
          },
          [categorias]: {
            ticks: {
              autoSkip: false,
              callback(valor) {
                return recortar(this.getLabelForValue(valor), datos.horizontal ? 16 : 12);
              },
            },
          },
        },
        onClick(evento, elementos) {
          if (datos.enlaces && elementos.length && datos.enlaces[elementos[0].index]) {
            window.location.href = datos.enlaces[elementos[0].index];
          }
        },
        onHover(evento, elementos) {
          const enlace = datos.enlaces && elementos.length && datos.enlaces[elementos[0].index];
          evento.native.target.style.cursor = enlace ? "pointer" : "default";
        },
      },
    });
  }
}

document.addEventListener("DOMContentLoaded", graficas);

// --- htmx --------------------------------------------------------------------------------
// A form the server sends back with errors (400) or because the record changed meanwhile
// (412) replaces the one on the page, as a full page load would show it.
document.addEventListener("htmx:beforeSwap", (evento) => {
  if ([400, 409, 412].includes(evento.detail.xhr.status)) {
    evento.detail.shouldSwap = true;
    evento.detail.isError = false;
  }
});

// A list's filter form (`data-filtra-al-cambiar`) filters as soon as a choice changes (a select
// or a checkbox); text fields wait for Filtrar. htmx listens for the `filtrar` event: a filter
// in hx-trigger would need eval, which the Content-Security-Policy forbids.
document.addEventListener("change", (evento) => {
  const campo = evento.target;
  if (!(campo instanceof Element) || !campo.matches("select, [type=checkbox]")) return;
  const formulario = campo.closest("form[data-filtra-al-cambiar]");
  if (formulario) formulario.dispatchEvent(new Event("filtrar"));
});

// After a swap, put the keyboard where the person continues: the first field of a form that
// opened, or the element marked `data-enfocar` (the Editar button of a row just saved).
document.addEventListener("htmx:afterSettle", (evento) => {
  const zona = evento.detail.elt;
  if (!(zona instanceof Element) || !zona.isConnected) return;
  const destino =
    zona.querySelector("[data-enfocar]") ||
    zona.querySelector(".alert[role=alert]") ||
    (zona.matches(".paso-edicion") &&
      zona.querySelector("select, input:not([type=hidden]), textarea"));
  if (destino) {
    if (!destino.matches("a, button, input, select, textarea")) destino.tabIndex = -1;
    destino.focus();
  }
});

// On a phone the filters start folded (unless some are in force): the list comes first.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.matchMedia("(max-width: 56rem)").matches) return;
  for (const filtros of document.querySelectorAll("details[data-cerrar-en-movil]")) {
    if (filtros.dataset.cerrarEnMovil === "0") filtros.open = false;
  }
});

// A button marked `data-confirmar` asks first (deactivate an entry, authorise a concept).
document.addEventListener("submit", (evento) => {
  const boton = evento.submitter;
  if (boton instanceof HTMLElement && boton.dataset.confirmar) {
    if (!window.confirm(boton.dataset.confirmar)) evento.preventDefault();
  }
});

// A list's "select the whole page" checkbox ticks (or clears) every row of its bulk form.
document.addEventListener("change", (evento) => {
  const todas = evento.target.closest("th input[type=checkbox][form]");
  if (!todas) return;
  const formulario = todas.getAttribute("form");
  for (const casilla of document.querySelectorAll(`td input[type=checkbox][form="${formulario}"]`)) {
    casilla.checked = todas.checked;
  }
});

// A form marked `data-progreso` (an import: reading a large workbook takes seconds) says it is
// working once sent: its button is disabled, so it is not sent twice, and a status line counts
// the seconds until the answer arrives.
document.addEventListener("submit", (evento) => {
  const formulario = evento.target;
  if (!(formulario instanceof HTMLFormElement) || !formulario.dataset.progreso) return;
  if (evento.defaultPrevented) return;
  let estado = formulario.querySelector("[data-progreso-estado]");
  if (!estado) {
    estado = document.createElement("p");
    estado.setAttribute("role", "status");
    estado.dataset.progresoEstado = "";
    estado.className = "progreso-envio";
    formulario.append(estado);
  }
  const inicio = Date.now();
  const mostrar = () => {
    const segundos = Math.floor((Date.now() - inicio) / 1000);
    estado.textContent = `${formulario.dataset.progreso} ${segundos} s`;
  };
  mostrar();
  window.setInterval(mostrar, 1000);
  for (const boton of formulario.querySelectorAll("button[type=submit]")) {
    // Disabled after this event, or the browser would not send the button's own name.
    window.setTimeout(() => { boton.disabled = true; }, 0);
  }
});

// --- An import on the task queue --------------------------------------------------------
// A section marked `data-tarea` (the task's API address) follows a large import: the progress
// bar and its status line show the share of rows read, polled every second; when the task
// ends the page is loaded again, and the server shows what the import did (or why it did not).
function seguirTarea() {
  const seccion = document.querySelector("[data-tarea]");
  if (!seccion) return;
  const barra = seccion.querySelector("progress");
  const estado = seccion.querySelector("[role=status]");
  async function mirar() {
    let cuerpo = null;
    try {
      const respuesta = await fetch(seccion.dataset.tarea, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (respuesta.ok) cuerpo = await respuesta.json();
      else if (respuesta.status !== 503) return window.location.reload();
    } catch {
      // The network failed for a moment: look again at the next beat.
    }
    if (cuerpo && cuerpo.avance !== null && cuerpo.estado !== "en_cola") {
      const avance = cuerpo.estado === "terminada" ? 100 : cuerpo.avance;
      barra.value = avance;
      barra.textContent = `${avance} %`;
      estado.textContent =
        `${seccion.dataset.tareaEjecutando} ${avance} % ${seccion.dataset.tareaLeidas}`;
    }
    if (cuerpo && !["en_cola", "ejecutando"].includes(cuerpo.estado)) {
      // A moment at 100 %, then what the import did.
      window.setTimeout(() => window.location.reload(), 800);
      return;
    }
    window.setTimeout(mirar, 1000);
  }
  window.setTimeout(mirar, 1000);
}

document.addEventListener("DOMContentLoaded", seguirTarea);
