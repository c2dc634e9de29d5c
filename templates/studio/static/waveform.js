/* The studio's waveform editor (templates/studio/waveform.html): the rows of time fields are the truth,
   this script draws them on the recording's waveform (BBC's peaks.js) and keeps both in step.
   Markers are placed by a click or a drag on the waveform (the mode chosen above it), by the buttons
   "… at the playhead", or typed; the playhead moves with the player, the arrows and the buttons.
   Nothing is sent until Save posts the form. First-party code; peaks.js, Konva and waveform-data are vendored. */
(function () {
  "use strict";
  var page = document.getElementById("waveform-page");
  var audio = document.getElementById("player");
  var form = document.getElementById("markers");
  if (!page || !form) return;

  var COLOURS = { chapter: "#0b4f8a", cut: "rgba(161, 18, 15, 0.55)", soundbite: "rgba(29, 94, 32, 0.5)", trim: "rgba(60, 60, 60, 0.5)" };
  var editor = null;
  var counter = 1000;

  Array.prototype.forEach.call(document.querySelectorAll(".js-only"), function (el) { el.hidden = false; });
  Array.prototype.forEach.call(form.querySelectorAll(".empty-row"), function (el) { el.remove(); });

  function seconds(text) {
    text = (text || "").trim().replace(",", ".");
    if (/^\d+(\.\d+)?$/.test(text)) return parseFloat(text);
    var m = /^(?:(\d+):)?([0-5]?\d):([0-5]\d(?:\.\d+)?)$/.exec(text);
    if (!m) return null;
    return (parseInt(m[1] || "0", 10) * 3600) + parseInt(m[2], 10) * 60 + parseFloat(m[3]);
  }

  function clock(value) {
    var tenths = Math.max(0, Math.round(value * 10));
    var whole = Math.floor(tenths / 10), tenth = tenths % 10;
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    var text = two(Math.floor(whole / 3600)) + ":" + two(Math.floor(whole % 3600 / 60)) + ":" + two(whole % 60);
    return tenth ? text + "." + tenth + "00" : text;  // 00:00:02.500, as the Python side (textfmt CHAPTER_EXACT) writes it
  }

  function duration() {
    var known = parseFloat(page.dataset.duration);
    if (known > 0) return known;
    return audio && isFinite(audio.duration) ? audio.duration : 0;
  }

  function now() { return audio ? audio.currentTime : 0; }

  function seek(time) {
    if (!audio) return;
    audio.currentTime = Math.max(0, Math.min(duration() || time, time));
    showPlayhead();
  }

  function showPlayhead() {
    var out = document.getElementById("playhead");
    if (out) out.textContent = clock(now());
  }

  function field(row, name) { return row.querySelector('[data-field="' + name + '"]'); }
  function value(row, name) { var input = field(row, name); return input ? seconds(input.value) : null; }
  function kindOf(row) { return row.dataset.kind; }
  function markerId(row) { if (!row.dataset.marker) row.dataset.marker = "m" + (counter++); return row.dataset.marker; }
  function rowOf(id) { return form.querySelector('[data-marker="' + id + '"]'); }

  /* The stretch a row stands for on the waveform: [start, end] (a chapter: [start]). */
  function span(row) {
    var kind = kindOf(row), start = value(row, "start"), end = value(row, "end");
    if (kind === "chapter") return start === null ? null : [start];
    if (kind === "soundbite") {
      var length = value(row, "duration");
      return start === null || !length ? null : [start, start + length];
    }
    if (kind === "trim-start") return end === null ? null : [0, end];
    if (kind === "trim-end") return start === null ? null : [start, Math.max(start, duration())];
    return start === null || end === null || end <= start ? null : [start, end];
  }

  function label(row) {
    var legend = row.querySelector("legend");
    var title = field(row, "title");
    return (title && title.value) || (legend ? legend.textContent : "");
  }

  /* Draw (or move, or take away) the marker of a row. */
  function draw(row) {
    if (!editor) return;
    var id = markerId(row), where = span(row), kind = kindOf(row);
    editor.points.removeById(id);
    editor.segments.removeById(id);
    if (!where) return;
    if (kind === "chapter") {
      editor.points.add({ id: id, time: where[0], labelText: label(row), editable: true, color: COLOURS.chapter });
    } else {
      var colour = kind.indexOf("trim") === 0 ? COLOURS.trim : COLOURS[kind];
      editor.segments.add({ id: id, startTime: where[0], endTime: where[1], labelText: label(row), editable: true, color: colour });
    }
  }

  /* A marker moved on the waveform: its row's fields follow. */
  function moved(id, start, end) {
    var row = rowOf(id);
    if (!row) return;
    var kind = kindOf(row);
    if (kind === "trim-start") { field(row, "end").value = clock(end); }
    else if (kind === "trim-end") { field(row, "start").value = clock(start); }
    else {
      field(row, "start").value = clock(start);
      if (kind === "cut") field(row, "end").value = clock(end);
      if (kind === "soundbite") field(row, "duration").value = String(Math.max(1, Math.round(end - start)));
    }
  }

  function bind(row) {
    Array.prototype.forEach.call(row.querySelectorAll("input[type=text]"), function (input) {
      input.addEventListener("change", function () { draw(row); });
      if (input.dataset.field === "title") input.addEventListener("input", function () { draw(row); });
    });
    Array.prototype.forEach.call(row.querySelectorAll("[data-set]"), function (button) {
      button.addEventListener("click", function () {
        field(row, button.dataset.set).value = clock(now());
        draw(row);
      });
    });
    var play = row.querySelector('[data-action="play"]');
    if (play) play.addEventListener("click", function () {
      var where = span(row);
      if (where) { seek(where[0]); audio.play(); }
    });
    var remove = row.querySelector('[data-action="remove"]');
    if (remove) remove.addEventListener("click", function () {
      var section = row.closest("section");
      if (editor) { editor.points.removeById(markerId(row)); editor.segments.removeById(markerId(row)); }
      row.remove();
      var heading = section && section.querySelector("h2");
      if (heading) { heading.tabIndex = -1; heading.focus(); }
    });
  }

  /* A new row of `kind` (from its <template>), with the values given; returns it. */
  function addRow(kind, values) {
    var template = document.getElementById("new-" + kind);
    var rows = document.getElementById(kind + "-rows");
    var n = rows.querySelectorAll(".row").length + 1;
    var number = String(counter++);
    var html = template.innerHTML.split("__N__").join(number).split("__LABEL__").join(String(n));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.querySelector(".row");
    Array.prototype.forEach.call(row.querySelectorAll(".js-only"), function (el) { el.hidden = false; });
    Object.keys(values).forEach(function (name) { field(row, name).value = values[name]; });
    rows.appendChild(row);
    var none = rows.parentNode.querySelector(".none");
    if (none) none.hidden = true;
    bind(row);
    draw(row);
    return row;
  }

  function addAt(kind, start, end) {
    var values = { start: clock(start) };
    if (kind === "cut") values.end = clock(end === undefined ? Math.min(duration() || start + 5, start + 5) : end);
    if (kind === "soundbite") values.duration = String(Math.max(1, Math.round(end === undefined ? 10 : end - start)));
    var row = addRow(kind, values);
    var focus = field(row, kind === "cut" ? "end" : "title") || field(row, "start");
    focus.focus();
    return row;
  }

  function mode() {
    var chosen = document.querySelector('input[name="mode"]:checked');
    return chosen ? chosen.value : "seek";
  }

  Array.prototype.forEach.call(form.querySelectorAll(".row"), bind);

  Array.prototype.forEach.call(document.querySelectorAll("[data-add]"), function (button) {
    button.addEventListener("click", function () { addAt(button.dataset.add, now()); });
  });

  Array.prototype.forEach.call(document.querySelectorAll('input[name="mode"]'), function (radio) {
    radio.addEventListener("change", function () {
      var view = editor && editor.views.getView("zoomview");
      if (view) view.setWaveformDragMode(mode() === "cut" || mode() === "soundbite" ? "insert-segment" : "scroll");
    });
  });

  function zoom(step) {
    if (!editor) return;
    if (step > 0) editor.zoom.zoomIn(); else editor.zoom.zoomOut();
  }

  var actions = {
    play: function () { if (audio.paused) audio.play(); else audio.pause(); },
    back: function () { seek(now() - 5); },
    forward: function () { seek(now() + 5); },
    "zoom-in": function () { zoom(1); },
    "zoom-out": function () { zoom(-1); }
  };
  Array.prototype.forEach.call(document.querySelectorAll("[data-player]"), function (button) {
    button.addEventListener("click", function () { actions[button.dataset.player](); });
  });

  var wave = document.getElementById("zoomview");
  if (wave) wave.addEventListener("keydown", function (event) {
    var step = event.shiftKey ? 10 : 1;
    var keys = {
      ArrowLeft: function () { seek(now() - step); },
      ArrowRight: function () { seek(now() + step); },
      Home: function () { seek(0); },
      End: function () { seek(duration()); },
      " ": actions.play
    };
    if (keys[event.key]) { keys[event.key](); event.preventDefault(); }
  });

  if (audio) {
    audio.addEventListener("timeupdate", showPlayhead);
    audio.addEventListener("seeked", showPlayhead);
  }

  function start(json) {
    var levels = [], scale = json.samples_per_pixel;
    var widest = Math.max(scale, Math.ceil(json.length * scale / Math.max(1, wave.clientWidth)));
    while (scale < widest) { levels.push(scale); scale *= 2; }
    levels.push(scale);
    window.peaks.init({
      zoomview: { container: wave, waveformColor: "#5b7a99", playheadColor: "#1b1b1b", axisLabelColor: "#1b1b1b" },
      overview: { container: document.getElementById("overview"), waveformColor: "#9aaabb", highlightColor: "#1b1b1b" },
      mediaElement: audio,
      waveformData: { json: json },
      zoomLevels: levels,
      keyboard: false,
      segmentOptions: { overlay: true, markers: true }
    }, function (error, made) {
      if (error) { page.dataset.error = String(error); return; }
      editor = made;
      editor.views.getView("zoomview").setZoom({ seconds: "auto" });  // the whole recording, to begin with
      Array.prototype.forEach.call(form.querySelectorAll(".row"), draw);
      editor.on("points.dragmove", function (event) { moved(event.point.id, event.point.time); });
      editor.on("points.dragend", function (event) { moved(event.point.id, event.point.time); });
      editor.on("segments.dragged", function (event) { moved(event.segment.id, event.segment.startTime, event.segment.endTime); });
      editor.on("segments.dragend", function (event) {
        moved(event.segment.id, event.segment.startTime, event.segment.endTime);
        var row = rowOf(event.segment.id);
        if (row) draw(row);
      });
      editor.on("segments.insert", function (event) {
        var made = event.segment, kind = mode();
        editor.segments.removeById(made.id);
        if ((kind === "cut" || kind === "soundbite") && made.endTime - made.startTime >= 0.2) {
          addAt(kind, made.startTime, made.endTime);
        }
      });
      function clicked(event) {
        if (mode() === "chapter") addAt("chapter", event.time);
      }
      editor.on("zoomview.click", clicked);
      editor.on("overview.click", clicked);
      page.dataset.ready = "1";
    });
  }

  if (audio && wave && window.peaks) {
    fetch("/episodes/" + encodeURIComponent(page.dataset.name) + "/peaks.json", { credentials: "same-origin" })
      .then(function (answer) { if (!answer.ok) throw new Error(answer.status); return answer.json(); })
      .then(start)
      .catch(function (error) { page.dataset.error = String(error); });
  }
})();
