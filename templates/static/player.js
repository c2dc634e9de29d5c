/* portevoix player: chapter and transcript times seek the player, #t=90 opens the page at that time,
   copy buttons copy. First-party, no dependency; without it, links play the audio file from that time. */
(function () {
  "use strict";
  var audio = document.getElementById("player");

  function seconds(text) { /* "90", "90.5", "1:30", "1:02:03" */
    if (!/^\d+(:\d{1,2}){0,2}(\.\d+)?$/.test(text)) return null;
    return text.split(":").reduce(function (total, part) { return total * 60 + parseFloat(part); }, 0);
  }

  function fromHash() {
    var match = /^#(?:.*&)?t=([^&]+)/.exec(location.hash);
    return match ? seconds(decodeURIComponent(match[1])) : null;
  }

  var chapters = Array.prototype.slice.call(document.querySelectorAll(".chapters a[data-start]"));
  function mark(time) {
    var current = null;
    chapters.forEach(function (link) { if (parseFloat(link.dataset.start) <= time + 0.25) current = link; });
    chapters.forEach(function (link) {
      if (link === current) link.setAttribute("aria-current", "time"); else link.removeAttribute("aria-current");
    });
  }

  function seek(time, play) {
    audio.currentTime = time;
    mark(time);
    if (play) { var started = audio.play(); if (started) started.catch(function () {}); }
  }

  if (audio) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-start]") : null;
      if (!link || event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      var time = parseFloat(link.dataset.start);
      seek(time, true);
      if (history.replaceState) history.replaceState(null, "", "#t=" + Math.floor(time));
    });
    var start = fromHash();
    if (start !== null) {
      seek(start, false);
      audio.addEventListener("loadedmetadata", function () { if (Math.abs(audio.currentTime - start) > 0.5) seek(start, false); });
    }
    window.addEventListener("hashchange", function () { var time = fromHash(); if (time !== null) seek(time, false); });
    audio.addEventListener("timeupdate", function () { mark(audio.currentTime); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var field = document.getElementById(button.dataset.copy);
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      field.select();
      function done() { button.textContent = button.dataset.done; setTimeout(function () { button.textContent = label; }, 2000); }
      if (navigator.clipboard) navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      else { document.execCommand("copy"); done(); }
    });
  });
})();
