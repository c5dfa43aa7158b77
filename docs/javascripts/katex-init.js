// Renders the math on every page with the KaTeX files shipped in assets/katex (no CDN).
// Markdown pages: pymdownx.arithmatex (generic mode) wraps math in .arithmatex elements as
// \( ... \) and \[ ... \]. Notebook pages (mkdocs-jupyter) keep Jupyter's $ ... $ and $$ ... $$.
(function () {
  function render() {
    if (typeof renderMathInElement !== "function") return;
    var options = {
      throwOnError: false,
      delimiters: [
        { left: "\\[", right: "\\]", display: true },
        { left: "\\(", right: "\\)", display: false },
      ],
    };
    document.querySelectorAll(".arithmatex").forEach(function (el) {
      renderMathInElement(el, options);
    });
    document.querySelectorAll(".jupyter-wrapper .jp-MarkdownOutput").forEach(function (el) {
      renderMathInElement(el, {
        throwOnError: false,
        delimiters: [
          { left: "$$", right: "$$", display: true },
          { left: "$", right: "$", display: false },
          { left: "\\[", right: "\\]", display: true },
          { left: "\\(", right: "\\)", display: false },
        ],
      });
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(render); // Material's page-load observable (also fires on instant loads)
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
