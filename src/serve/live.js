// dossier serve: live reload. Injected into every HTML page the preview serves (never into a
// build). Listens to the preview's event stream; reloads this page when a rebuild changed it,
// swaps stylesheets in place when only CSS changed, and shows build errors as an overlay.
(() => {
  "use strict";
  const me = document.currentScript;
  const page = (me && me.dataset.page) || location.pathname;
  let overlay = null;

  function hideError() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function showError(message) {
    hideError();
    overlay = document.createElement("div");
    overlay.id = "dossier-error";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);" +
      "color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem;text-align:left;direction:ltr";
    const h = document.createElement("p");
    h.style.cssText = "font-weight:bold;color:#ff8a80;margin:0 0 1rem";
    h.textContent = "The site did not build. The preview shows the last good version; fix the file and save.";
    const pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:0";
    pre.textContent = message;
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.style.cssText = "margin-top:1.5rem;font:inherit;padding:.3rem 1rem";
    close.addEventListener("click", hideError);
    overlay.append(h, pre, close);
    document.body.append(overlay);
  }

  function swapStylesheets(paths) {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin || !paths.includes(url.pathname)) continue;
      const fresh = link.cloneNode();
      url.searchParams.set("v", Date.now());
      fresh.href = url.href;
      fresh.addEventListener("load", () => link.remove());
      link.after(fresh);
    }
  }

  // The version this page was served at: if it changed in a rebuild before the event stream
  // connected (or while it was disconnected), the greeting says "stale" and the page reloads.
  const version = (me && me.dataset.version) || "0";
  const source = new EventSource(
    "/__dossier/events?page=" + encodeURIComponent(page) + "&v=" + encodeURIComponent(version),
  );
  source.addEventListener("open", () => {
    window.dossierLive = "connected";
  });
  source.addEventListener("message", (e) => {
    const m = JSON.parse(e.data);
    if (m.type === "hello") {
      if (m.error) showError(m.error);
      else if (m.stale) location.reload();
      else hideError();
    } else if (m.type === "error") {
      showError(m.message);
    } else if (m.type === "reload") {
      const recovered = overlay !== null;
      hideError();
      if (m.css && !m.all) swapStylesheets(m.paths);
      else if (m.all || recovered || m.paths.includes(page)) location.reload();
    }
  });
})();
