/* The transcript page (templates/studio/transcript.html): each cue's button plays that cue, from its start to
   its end, in the page's player. First-party code; the page works without it. */
(function () {
  "use strict";
  var audio = document.getElementById("player");
  if (!audio) return;
  var stopAt = null;
  Array.prototype.forEach.call(document.querySelectorAll(".js-only"), function (el) { el.hidden = false; });
  audio.addEventListener("timeupdate", function () {
    if (stopAt !== null && audio.currentTime >= stopAt) { audio.pause(); stopAt = null; }
  });
  Array.prototype.forEach.call(document.querySelectorAll(".cue"), function (cue) {
    var button = cue.querySelector("[data-play]");
    if (!button) return;
    button.addEventListener("click", function () {
      stopAt = parseFloat(cue.dataset.end);
      audio.currentTime = parseFloat(cue.dataset.start);
      audio.play();
    });
  });
})();
