// A long list of checkboxes becomes searchable: a filter box above it hides the options whose
// label does not contain the words typed, and says how many are shown and selected. Without
// JavaScript the list is still there, in a box that scrolls; the checkboxes stay native, so
// the keyboard and screen readers work as with any checkbox.
(function () {
  "use strict";
  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function enhance(root) {
    var search = root.querySelector(".te-searchable__search");
    var input = search.querySelector("input");
    var count = search.querySelector("[data-te-count]");
    var options = Array.prototype.slice.call(
      root.querySelectorAll(".te-searchable__options input[type=checkbox]")
    ).map(function (box) {
      var label = root.querySelector("label[for='" + box.id + "']") || box.closest("label");
      var row = box.closest("div") || label;
      return { box: box, row: row, text: normalise(label ? label.textContent : box.value) };
    });
    function update() {
      var words = normalise(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      var selected = 0;
      options.forEach(function (option) {
        var match = words.every(function (w) { return option.text.indexOf(w) !== -1; });
        // A ticked option always stays in view, so nothing chosen disappears.
        var visible = match || option.box.checked;
        option.row.hidden = !visible;
        if (visible) { shown += 1; }
        if (option.box.checked) { selected += 1; }
      });
      count.textContent = shown + " " + (shown > 1 ? count.dataset.many : count.dataset.one) +
        " · " + selected + " " + count.dataset.selected;
    }
    search.hidden = false;
    input.addEventListener("input", update);
    root.addEventListener("change", update);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // Enter filters, never submits
    });
    update();
  }
  function init() {
    document.querySelectorAll("[data-te-searchable]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
