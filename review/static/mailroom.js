// Blankett mailroom: drag and drop many files; one request per file with
// its own progress bar. Same-origin requests carry the session cookie and
// pass the server's cross-origin protection.
(function () {
  "use strict";
  var zone = document.getElementById("dropzone");
  var input = document.getElementById("files");
  var list = document.getElementById("progress");
  if (!zone || !input || !list) return;

  var queue = [], running = 0, parallel = 3;

  // say announces in the page's live region.
  function say(message) {
    var live = document.getElementById("live");
    if (!live) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = message; }, 30);
  }

  function row(file) {
    var li = document.createElement("li");
    var name = document.createElement("span"); name.textContent = file.name;
    var bar = document.createElement("progress"); bar.max = 100; bar.value = 0;
    bar.setAttribute("aria-label", "Uppladdning av " + file.name);
    var status = document.createElement("span"); status.textContent = "Väntar";
    li.append(name, bar, status);
    list.prepend(li);
    return { bar: bar, status: status };
  }

  function pump() {
    while (running < parallel && queue.length) {
      running++;
      send(queue.shift());
    }
  }

  function send(item) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/mailroom/upload");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) item.ui.bar.value = Math.round(100 * e.loaded / e.total);
      item.ui.status.textContent = "Laddar upp";
    });
    xhr.addEventListener("loadend", function () {
      running--;
      var answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = {}; }
      if (xhr.status === 201) {
        item.ui.bar.value = 100;
        item.ui.status.textContent = (answer.duplicate ? "Dubblett av " : "Nr ") + answer.id + ": " + answer.state_title;
        say(item.file.name + ": " + (answer.duplicate ? "dubblett av nr " + answer.id : "mottagen som nr " + answer.id + ", " + answer.state_title) + ".");
      } else {
        item.ui.status.textContent = "Fel: " + (answer.error || "Uppladdningen misslyckades");
        item.ui.status.className = "failed";
        say("Fel: " + item.file.name + " laddades inte upp. " + (answer.error || ""));
      }
      if (window.htmx) window.htmx.trigger(document.body, "uploaded");
      pump();
    });
    var data = new FormData();
    data.append("file", item.file, item.file.name);
    xhr.send(data);
  }

  function add(files) {
    Array.prototype.forEach.call(files, function (f) { queue.push({ file: f, ui: row(f) }); });
    if (files.length) say(files.length === 1 ? "Laddar upp " + files[0].name + "." : "Laddar upp " + files.length + " filer.");
    pump();
  }

  input.addEventListener("change", function () { add(input.files); input.value = ""; });

  // The list of uploads is refreshed every few seconds: focus inside it
  // stays on the list instead of falling to the page.
  var hadFocus = false;
  document.addEventListener("htmx:beforeSwap", function (e) {
    var uploads = document.getElementById("uploads");
    hadFocus = !!(uploads && e.detail.target === uploads && uploads.contains(document.activeElement));
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!hadFocus) return;
    hadFocus = false;
    var region = document.querySelector("#uploads .table-wrap");
    if (region) region.focus({ preventScroll: true });
  });
  ["dragenter", "dragover"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) { if (e.dataTransfer) add(e.dataTransfer.files); });
})();
