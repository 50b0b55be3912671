// Drag across the articles-over-time bars to filter the search to that period (from/to in the URL).
// A plain click on one bar follows its link. No library: the bars are server-drawn SVG.
(function () {
  const svg = document.getElementById("histogram");
  if (!svg) return;
  const bars = Array.from(svg.querySelectorAll("rect.bar"));
  const brush = document.getElementById("brush");
  let start = null, moved = false;

  function viewX(event) {
    const box = svg.getBoundingClientRect();
    return (event.clientX - box.left) * (svg.viewBox.baseVal.width / box.width);
  }
  function covered(a, b) {
    const lo = Math.min(a, b), hi = Math.max(a, b);
    return bars.filter(bar => {
      const x = bar.x.baseVal.value, w = bar.width.baseVal.value;
      return x + w >= lo && x <= hi;
    });
  }
  svg.addEventListener("mousedown", event => {
    event.preventDefault();
    start = viewX(event); moved = false;
  });
  svg.addEventListener("mousemove", event => {
    if (start === null) return;
    const x = viewX(event);
    if (Math.abs(x - start) > 3) moved = true;
    brush.setAttribute("x", Math.min(start, x));
    brush.setAttribute("width", Math.abs(x - start));
  });
  svg.addEventListener("click", event => { if (moved) event.preventDefault(); });
  window.addEventListener("mouseup", event => {
    if (start === null) return;
    const chosen = moved ? covered(start, viewX(event)) : [];
    start = null;
    if (!chosen.length) { brush.setAttribute("width", 0); return; }
    const url = new URL(svg.dataset.url, window.location.href);
    url.searchParams.set("from", chosen[0].dataset.from);
    url.searchParams.set("to", chosen[chosen.length - 1].dataset.to);
    window.location.assign(url.pathname + url.search);
  });
})();
