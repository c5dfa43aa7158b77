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
  // Search results are drawn while the reader types; render the math in their snippets too.
  function watchSearch() {
    var list = document.querySelector(".md-search-result__list");
    if (!list || typeof renderMathInElement !== "function") return;
    new MutationObserver(function () {
      list.querySelectorAll(".md-search-result__article").forEach(function (el) {
        if (el.dataset.katexDone) return;
        el.dataset.katexDone = "1";
        renderMathInElement(el, {
          throwOnError: false,
          delimiters: [
            { left: "\\[", right: "\\]", display: false },
            { left: "\\(", right: "\\)", display: false },
          ],
        });
      });
    }).observe(list, { childList: true, subtree: true });
  }
  watchSearch();
  if (typeof document$ !== "undefined") {
    document$.subscribe(render); // Material's page-load observable (also fires on instant loads)
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
