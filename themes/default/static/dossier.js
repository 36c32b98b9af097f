// dossier default theme: small enhancements only; every page works without JavaScript.
(function () {
  "use strict";
  // "Copy" buttons for citations: shown only when the clipboard API is available.
  if (navigator.clipboard) {
    document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("data-copy"));
      if (!target) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.innerText.trim()).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 2000);
        });
      });
    });
  }

  // Sidenotes: on wide screens, each endnote is also shown beside the line that cites it.
  // The endnotes stay under the body (they are what prints and what works without JS).
  var notes = document.querySelector(".brief .footnotes");
  if (notes) {
    document.querySelectorAll(".brief-body sup.footnote-ref a[href^='#fn-']").forEach(function (ref) {
      var n = ref.getAttribute("href").slice(4);
      var note = document.getElementById("fn-" + n);
      if (!note || ref.id !== "fnref-" + n) return; // only beside the first reference
      var side = document.createElement("span");
      side.className = "sidenote";
      side.setAttribute("role", "note");
      var num = document.createElement("a");
      num.className = "sidenote-number";
      num.href = "#fn-" + n;
      num.textContent = n;
      num.setAttribute("aria-label", "Note " + n);
      side.appendChild(num);
      side.appendChild(document.createTextNode(" "));
      Array.prototype.forEach.call(note.childNodes, function (child) {
        var copy = child.cloneNode(true);
        if (copy.nodeType === 1) {
          copy.querySelectorAll(".footnote-back").forEach(function (b) { b.remove(); });
          if (copy.tagName === "P") {
            var span = document.createElement("span");
            while (copy.firstChild) span.appendChild(copy.firstChild);
            copy = span;
          }
          copy.removeAttribute && copy.removeAttribute("id");
        }
        side.appendChild(copy);
      });
      ref.parentNode.insertAdjacentElement("afterend", side);
    });
    document.documentElement.classList.add("has-sidenotes");
  }

  // Embedded videos and charts (components `video` and `chart`): nothing is requested from the
  // provider until the reader presses the button; then the player's frame replaces the notice,
  // titled for screen readers, and takes the focus. Without JavaScript the link stays.
  document.querySelectorAll("figure.embed[data-embed]").forEach(function (figure) {
    var button = figure.querySelector("button.embed-load");
    var src = figure.getAttribute("data-embed");
    if (!button || !/^https:\/\//.test(src)) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = src;
      frame.title = figure.getAttribute("data-embed-title") || "";
      frame.setAttribute("allow", "autoplay; fullscreen; picture-in-picture");
      frame.setAttribute("allowfullscreen", "");
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      var height = figure.getAttribute("data-embed-height");
      if (height) frame.style.height = parseInt(height, 10) + "px";
      var facade = figure.querySelector(".embed-facade");
      figure.replaceChild(frame, facade);
      figure.classList.add("embed-loaded");
      frame.focus();
    });
  });
})();
