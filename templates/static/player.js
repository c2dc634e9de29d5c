/* portevoix player: enhances the native <audio>, which works alone without JavaScript (chapter and transcript
   links then play the file from their time). Play/pause, -15/+15/+30 s, speed, chapter marks and the current
   chapter, the position remembered per episode in localStorage (never a cookie), "share from here", keyboard
   shortcuts inside the player, #t=90 or #t=1:30 in the address. Nothing is loaded before the listener acts.
   Also: copy buttons, and the header's search box. First-party, no dependency. */
(function () {
  "use strict";
  var audio = document.getElementById("player");

  function seconds(text) { /* "90", "90.5", "1:30", "1:02:03" */
    if (!/^\d+(:\d{1,2}){0,2}(\.\d+)?$/.test(text)) return null;
    return text.split(":").reduce(function (total, part) { return total * 60 + parseFloat(part); }, 0);
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(t) { /* as the pages write times: 1:02:03, 02:03 */
    t = Math.max(0, Math.floor(t));
    var h = Math.floor(t / 3600), m = Math.floor(t / 60) % 60;
    return (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(t % 60);
  }
  function fromHash() {
    var match = /^#(?:.*&)?t=([^&]+)/.exec(location.hash);
    return match ? seconds(decodeURIComponent(match[1])) : null;
  }
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function store(key, value) { /* a sandboxed frame has no storage: then nothing is remembered */
    try { if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value); } catch (e) { /* none */ }
  }
  function copy(text, done) {
    function legacy() {
      var field = document.createElement("textarea"), ok = false;
      field.value = text;
      field.className = "visually-hidden";
      document.body.appendChild(field);
      field.select();
      try { ok = document.execCommand("copy"); } catch (e) { /* refused */ }
      field.remove();
      done(ok);
    }
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(function () { done(true); }, legacy);
    else legacy();
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var field = document.getElementById(button.dataset.copy), label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      field.select();
      copy(field.value, function () {
        button.textContent = button.dataset.done;
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("form.search-box"), function (form) {
    form.hidden = false;
    form.previousElementSibling.hidden = true; /* the link to the list of episodes, for pages without script */
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = form.querySelector("input").value.trim();
      location.href = form.dataset.search + (query ? "?q=" + encodeURIComponent(query) : "");
    });
  });

  if (!audio) return;
  var box = audio.closest(".player"), controls = box.querySelector(".controls");
  function find(selector) { return controls.querySelector(selector); }
  var range = find("input[type=range]"), rate = find("select"), status = find("[data-status]");
  var resume = find(".resume"), share = find("[data-do=share]"), mute = find("[data-do=mute]");
  var chapters = JSON.parse(box.dataset.chapters || "[]");
  var links = Array.prototype.slice.call(document.querySelectorAll(".chapters a[data-start]"));
  var key = "portevoix:position:" + box.dataset.key, saved = parseFloat(load(key)) || 0, lastSaved = -1;
  var wanted = 0, dragging = false;

  function length() { return isFinite(audio.duration) && audio.duration > 0 ? audio.duration : parseFloat(box.dataset.duration); }
  function now() { return audio.readyState ? audio.currentTime : wanted; }
  function say(text) { status.textContent = ""; setTimeout(function () { status.textContent = text; }, 50); }
  function chapterAt(time) {
    var index = -1;
    chapters.forEach(function (chapter, i) { if (chapter[0] <= time + 0.25) index = i; });
    return index;
  }

  function update() {
    var time = now(), index = chapterAt(time);
    box.classList.toggle("playing", !audio.paused);
    find("[data-now]").textContent = clock(time);
    if (!dragging) range.value = time;
    range.setAttribute("aria-valuetext", clock(time) + " / " + clock(length()));
    find("[data-chapter]").textContent = index < 0 ? "" : chapters[index][1];
    links.forEach(function (link, i) {
      if (i === index) link.setAttribute("aria-current", "time"); else link.removeAttribute("aria-current");
    });
    mute.setAttribute("aria-pressed", String(audio.muted));
  }

  function remember(force) {
    var time = now();
    if (!force && Math.abs(time - lastSaved) < 5) return;
    lastSaved = time;
    store(key, time > 15 && time < length() - 15 ? String(Math.floor(time)) : null);
  }

  function play() { var started = audio.play(); if (started) started.catch(function () { /* refused */ }); }
  function seek(time, start) {
    time = Math.max(0, Math.min(time, length()));
    wanted = time;
    audio.currentTime = time;
    update();
    if (start) play();
  }
  function skip(delta) { seek(now() + delta); say(clock(now())); }
  function chapter(step) {
    var index = chapterAt(now());
    if (step < 0 && index >= 0 && now() - chapters[index][0] > 3) step = 0;
    var target = chapters[Math.max(0, Math.min(chapters.length - 1, index + step))];
    if (target) { seek(target[0]); say(target[1]); }
  }
  function setRate(value, announce) {
    audio.defaultPlaybackRate = audio.playbackRate = value;
    rate.value = String(value);
    store("portevoix:rate", value === 1 ? null : String(value));
    if (announce) say(rate.options[rate.selectedIndex].text);
  }
  function stepRate(step) { setRate(parseFloat(rate.options[Math.max(0, Math.min(rate.options.length - 1, rate.selectedIndex + step))].value), true); }
  function toggle() { if (audio.paused) play(); else audio.pause(); }
  function hideResume() { resume.hidden = true; }

  audio.removeAttribute("controls");
  controls.hidden = false;
  chapters.forEach(function (chapter) {
    if (chapter[0] <= 0) return;
    var mark = document.createElement("span");
    mark.style.left = (100 * chapter[0] / length()) + "%";
    find(".marks").appendChild(mark);
  });

  controls.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var action = button.dataset.do;
    if (button.dataset.skip) skip(parseFloat(button.dataset.skip));
    else if (action === "toggle") toggle();
    else if (action === "mute") audio.muted = !audio.muted;
    else if (action === "resume") { hideResume(); seek(saved, true); }
    else if (action === "forget") { hideResume(); store(key, null); range.focus(); }
    else if (action === "share") {
      var address = document.querySelector("link[rel=canonical]").href.split("#")[0] + "#t=" + Math.floor(now());
      if (!box.closest(".embed") && history.replaceState) history.replaceState(null, "", "#t=" + Math.floor(now()));
      copy(address, function (ok) { say(ok ? share.dataset.done + " " + address : address); });
    }
  });
  controls.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = event.target.tagName, k = event.key;
    if (k === "k" || k === "K" || (k === " " && tag === "INPUT")) toggle();
    else if ((k === "ArrowLeft" || k === "ArrowRight") && tag !== "SELECT") skip((k === "ArrowLeft" ? -1 : 1) * (event.shiftKey ? 30 : 15));
    else if (k === "PageUp" || k === "PageDown") chapter(k === "PageUp" ? -1 : 1);
    else if (k === "<" || k === ">") stepRate(k === "<" ? -1 : 1);
    else if (k === "m" || k === "M") audio.muted = !audio.muted;
    else return;
    event.preventDefault();
  });
  range.addEventListener("input", function () { dragging = true; seek(parseFloat(range.value)); dragging = false; });
  rate.addEventListener("change", function () { setRate(parseFloat(rate.value), false); });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-start]") : null;
    if (!link || event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    var time = parseFloat(link.dataset.start);
    hideResume();
    seek(time, true);
    if (history.replaceState) history.replaceState(null, "", "#t=" + Math.floor(time));
  });
  window.addEventListener("hashchange", function () { var time = fromHash(); if (time !== null) seek(time); });
  audio.addEventListener("loadedmetadata", function () { if (Math.abs(audio.currentTime - wanted) > 0.5) audio.currentTime = wanted; });
  ["timeupdate", "seeked", "play", "pause", "volumechange", "durationchange"].forEach(function (name) { audio.addEventListener(name, update); });
  audio.addEventListener("play", hideResume);
  audio.addEventListener("timeupdate", function () { if (!audio.paused) remember(false); });
  audio.addEventListener("pause", function () { remember(true); });
  audio.addEventListener("ended", function () { store(key, null); });
  window.addEventListener("pagehide", function () { if (!audio.paused) remember(true); });

  var rateSaved = parseFloat(load("portevoix:rate"));
  if (rateSaved) setRate(rateSaved, false);
  var start = fromHash();
  if (start !== null) seek(start);
  else if (saved > 15 && saved < length() - 15) {
    var button = find("[data-do=resume]");
    button.textContent = button.dataset.label.replace("{time}", clock(saved));
    resume.hidden = false;
  }
  update();
})();
