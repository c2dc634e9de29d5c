/* portevoix player: drives the native <audio> (which works alone; links then play the file from their time).
   Play, skips, speed, chapter marks, position kept per episode in localStorage (no cookie), share from here,
   shortcuts inside the player, #t=90 or #t=1:30 in the address; nothing loads before the listener acts.
   Also the copy buttons and the header's search box. */
(function () {
  "use strict";
  var audio = document.getElementById("player"), each = function (list, f) { Array.prototype.forEach.call(list, f); };
  function seconds(text) { /* 90, 90.5, 1:30, 1:02:03 */
    if (!/^\d+(:\d{1,2}){0,2}(\.\d+)?$/.test(text)) return null;
    return text.split(":").reduce(function (total, part) { return total * 60 + parseFloat(part); }, 0);
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(t) { /* as the pages write times: 1:02:03, 02:03 */
    t = Math.max(0, Math.floor(t));
    var h = Math.floor(t / 3600), m = Math.floor(t / 60) % 60;
    return (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(t % 60);
  }
  function fromHash() { var m = /^#(?:.*&)?t=([^&]+)/.exec(location.hash); return m ? seconds(decodeURIComponent(m[1])) : null; }
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function store(key, value) { /* a sandboxed frame has no storage: nothing is remembered there */
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
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(function () { done(true); }, legacy); else legacy();
  }

  each(document.querySelectorAll("button[data-copy]"), function (button) {
    var field = document.getElementById(button.dataset.copy), label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      field.select();
      copy(field.value, function () { button.textContent = button.dataset.done; setTimeout(function () { button.textContent = label; }, 2000); });
    });
  });
  each(document.querySelectorAll("form.search-box"), function (form) {
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
  var range = find("input"), rate = find("select"), status = find("[data-status]"), resume = find(".resume");
  var links = [].slice.call(document.querySelectorAll(".chapters a[data-start]"));
  var chapters = box.dataset.chapters ? JSON.parse(box.dataset.chapters) : links.map(function (link) {
    return [parseFloat(link.dataset.start), link.textContent.replace(link.querySelector("time").textContent, "").trim()];
  });
  var key = "portevoix:position:" + box.dataset.key, saved = parseFloat(load(key)) || 0, lastSaved = -1, wanted = 0;

  function length() { return audio.duration > 0 && isFinite(audio.duration) ? audio.duration : parseFloat(box.dataset.duration); }
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
    range.value = time;
    range.setAttribute("aria-valuetext", clock(time) + " / " + clock(length()));
    find("[data-chapter]").textContent = index < 0 ? "" : chapters[index][1];
    links.forEach(function (link, i) { if (i === index) link.setAttribute("aria-current", "time"); else link.removeAttribute("aria-current"); });
    find("[data-do=mute]").setAttribute("aria-pressed", String(audio.muted));
  }
  function remember(force) {
    var time = now();
    if (!force && Math.abs(time - lastSaved) < 5) return;
    lastSaved = time;
    store(key, time > 15 && time < length() - 15 ? String(Math.floor(time)) : null);
  }
  function play() { var started = audio.play(); if (started) started.catch(function () { /* refused */ }); }
  function seek(time, start) {
    wanted = Math.max(0, Math.min(time, length()));
    audio.currentTime = wanted;
    update();
    if (start) play();
  }
  function skip(delta) { seek(now() + delta); say(clock(now())); }
  function chapter(step) {
    var index = chapterAt(now());
    if (step < 0 && index >= 0 && now() - chapters[index][0] > 3) step = 0; /* back to this chapter's start first */
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

  audio.removeAttribute("controls");
  controls.hidden = false;
  chapters.forEach(function (chapter) {
    if (chapter[0] <= 0) return;
    var mark = document.createElement("span");
    mark.style.left = (100 * chapter[0] / length()) + "%";
    find(".marks").appendChild(mark);
  });

  controls.addEventListener("click", function (event) {
    var button = event.target.closest("button"), action = button && button.dataset.do;
    if (!button) return;
    if (button.dataset.skip) skip(parseFloat(button.dataset.skip));
    else if (action === "toggle") toggle();
    else if (action === "mute") audio.muted = !audio.muted;
    else if (action === "resume") { resume.hidden = true; seek(saved, true); }
    else if (action === "forget") { resume.hidden = true; store(key, null); range.focus(); }
    else if (action === "share") {
      var moment = "#t=" + Math.floor(now()), address = document.querySelector("link[rel=canonical]").href.split("#")[0] + moment;
      if (!box.closest(".embed")) history.replaceState(null, "", moment);
      copy(address, function (ok) { say(ok ? button.dataset.done + " " + address : address); });
    }
  });
  controls.addEventListener("keydown", function (event) {
    var tag = event.target.tagName, k = event.key;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (k === "k" || k === "K" || (k === " " && tag === "INPUT")) toggle();
    else if ((k === "ArrowLeft" || k === "ArrowRight") && tag !== "SELECT") skip((k === "ArrowLeft" ? -1 : 1) * (event.shiftKey ? 30 : 15));
    else if (k === "PageUp" || k === "PageDown") chapter(k === "PageUp" ? -1 : 1);
    else if (k === "<" || k === ">") stepRate(k === "<" ? -1 : 1);
    else if (k === "m" || k === "M") audio.muted = !audio.muted;
    else return;
    event.preventDefault();
  });
  range.addEventListener("input", function () { seek(parseFloat(range.value)); });
  rate.addEventListener("change", function () { setRate(parseFloat(rate.value), false); });
  document.addEventListener("click", function (event) { /* chapter and transcript links seek instead of leaving */
    var link = event.target.closest ? event.target.closest("a[data-start]") : null;
    if (!link || event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    resume.hidden = true;
    seek(parseFloat(link.dataset.start), true);
    history.replaceState(null, "", "#t=" + Math.floor(parseFloat(link.dataset.start)));
  });
  window.addEventListener("hashchange", function () { var time = fromHash(); if (time !== null) seek(time); });
  audio.addEventListener("loadedmetadata", function () { if (Math.abs(audio.currentTime - wanted) > 0.5) audio.currentTime = wanted; });
  ["timeupdate", "seeked", "play", "pause", "volumechange", "durationchange"].forEach(function (name) { audio.addEventListener(name, update); });
  audio.addEventListener("play", function () { resume.hidden = true; });
  audio.addEventListener("timeupdate", function () { if (!audio.paused) remember(false); });
  audio.addEventListener("pause", function () { remember(true); });
  audio.addEventListener("ended", function () { store(key, null); });
  window.addEventListener("pagehide", function () { if (!audio.paused) remember(true); });

  var speed = parseFloat(load("portevoix:rate")), start = fromHash();
  if (speed) setRate(speed, false);
  if (start !== null) seek(start);
  else if (saved > 15 && saved < length() - 15) {
    var offer = find("[data-do=resume]");
    offer.textContent = offer.dataset.label.replace("{time}", clock(saved));
    resume.hidden = false;
  }
  update();
})();
