/* portevoix transcript: follows the player. The cue being said is highlighted (aria-current) and kept in view
   while playing, unless the reader scrolls away (a button then brings them back); the speakers' names stay
   visible below the player. Smooth scrolling only without prefers-reduced-motion. */
(function () {
  "use strict";
  var audio = document.getElementById("player");
  var cues = Array.prototype.slice.call(document.querySelectorAll(".turn p[data-end]"));
  if (!audio || !cues.length) return;
  var starts = cues.map(function (cue) { return parseFloat(cue.querySelector("[data-start]").dataset.start); });
  var ends = cues.map(function (cue) { return parseFloat(cue.dataset.end); });
  var sticky = document.querySelector(".sticky"), back = document.querySelector("[data-follow]");
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var current = null, following = true;

  function cueAt(time) { /* the cue whose time range holds `time`, or null between cues */
    var low = 0, high = starts.length - 1, found = -1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (starts[middle] <= time) { found = middle; low = middle + 1; } else high = middle - 1;
    }
    return found >= 0 && time < ends[found] ? cues[found] : null;
  }
  function show(cue) {
    var top = cue.getBoundingClientRect().top, room = sticky.offsetHeight; /* the player, once stuck at the top */
    var wanted = room + (window.innerHeight - room) / 3;
    if (top < room || top > window.innerHeight - cue.offsetHeight - 16) {
      window.scrollBy({ top: top - wanted, behavior: reduced ? "auto" : "smooth" });
    }
  }
  function update(force) {
    var cue = cueAt(audio.currentTime);
    if (cue === current && !force) return;
    if (current) current.removeAttribute("aria-current");
    current = cue;
    if (!cue) return;
    cue.setAttribute("aria-current", "time");
    if (following && (force || !audio.paused)) show(cue);
  }
  function leave() {
    if (audio.paused || !following) return;
    following = false;
    back.hidden = false;
  }

  window.addEventListener("wheel", leave, { passive: true });
  window.addEventListener("touchmove", leave, { passive: true });
  window.addEventListener("keydown", function (event) {
    if (event.target === document.body && /^(PageUp|PageDown|ArrowUp|ArrowDown|Home|End| )$/.test(event.key)) leave();
  });
  back.addEventListener("click", function () {
    following = true;
    back.hidden = true;
    if (current) show(current);
  });
  audio.addEventListener("timeupdate", function () { update(false); });
  audio.addEventListener("seeked", function () { following = true; back.hidden = true; update(true); });

  function measure() { document.documentElement.style.setProperty("--stick", sticky.offsetHeight + "px"); }
  if (window.ResizeObserver) new ResizeObserver(measure).observe(sticky);
  measure();
  /* Opened at a moment (#t=): once the browser has done its own scrolling, bring that cue into view. */
  if (/[#&]t=/.test(location.hash)) window.addEventListener("load", function () { setTimeout(function () { update(true); }, 0); });
})();
