/* narrate player: click a passage to hear it, follow the voice, change speed, use the keyboard.
   Works on every <figure data-narrate> on the page; without this script the plain player still plays. */
(function () {
  "use strict";
  var SPEEDS = [1, 1.25, 1.5, 2];
  var SKIP_SECONDS = 15;
  var reducedMotion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;

  function control(tag, label, text) {
    var element = document.createElement(tag);
    element.setAttribute("aria-label", label);
    if (tag === "button") element.type = "button";
    if (text) element.textContent = text;
    return element;
  }

  function speedControl(audio) {
    var select = control("select", "Playback speed");
    SPEEDS.forEach(function (speed) {
      var option = document.createElement("option");
      option.value = String(speed);
      option.textContent = speed + "\u00d7";
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      audio.playbackRate = audio.defaultPlaybackRate = Number(select.value);
    });
    audio.addEventListener("ratechange", function () {
      if (SPEEDS.indexOf(audio.playbackRate) >= 0) select.value = String(audio.playbackRate);
    });
    return select;
  }

  function setUp(figure) {
    var audio = figure.querySelector("audio");
    var transcript = figure.querySelector(".narrate-transcript");
    if (!audio || figure.classList.contains("narrate-ready")) return;
    figure.classList.add("narrate-ready");
    var passages = Array.prototype.slice.call(figure.querySelectorAll("[data-start]"));
    var starts = passages.map(function (passage) { return Number(passage.getAttribute("data-start")); });
    var current = null;

    function skip(seconds) {
      var end = isFinite(audio.duration) ? audio.duration : Infinity;
      audio.currentTime = Math.max(0, Math.min(end, audio.currentTime + seconds));
    }

    function togglePlayback() {
      if (audio.paused) {
        var playing = audio.play();
        if (playing) playing.catch(function () {});
      } else {
        audio.pause();
      }
    }

    function mark(passage) {
      if (passage === current) return false;
      if (current) {
        current.classList.remove("narrate-current");
        current.removeAttribute("aria-current");
      }
      current = passage;
      if (current) {
        current.classList.add("narrate-current");
        current.setAttribute("aria-current", "true");
      }
      return true;
    }

    function follow() {
      if (!current || !transcript) return;
      var top = current.offsetTop, bottom = top + current.offsetHeight;
      if (top >= transcript.scrollTop && bottom <= transcript.scrollTop + transcript.clientHeight) return;
      transcript.scrollTo({
        top: Math.max(0, top - transcript.clientHeight / 3),
        behavior: reducedMotion && reducedMotion.matches ? "auto" : "smooth"
      });
    }

    function spokenNow() {
      var index = -1;
      while (index + 1 < starts.length && starts[index + 1] <= audio.currentTime + 0.05) index += 1;
      return passages[index] || null;
    }

    function seekTo(passage) {
      audio.currentTime = Number(passage.getAttribute("data-start"));
      mark(passage);
    }

    passages.forEach(function (passage) {
      passage.tabIndex = 0;
      passage.title = "Listen from here";
      passage.addEventListener("click", function () { seekTo(passage); });
      passage.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); seekTo(passage); }
      });
    });
    audio.addEventListener("timeupdate", function () {
      if (mark(spokenNow()) && !audio.paused) follow();
    });
    audio.addEventListener("seeked", function () {
      mark(spokenNow());
      follow();
    });

    var back = control("button", "Back " + SKIP_SECONDS + " seconds", "\u2212" + SKIP_SECONDS + " s");
    var forward = control("button", "Forward " + SKIP_SECONDS + " seconds", "+" + SKIP_SECONDS + " s");
    back.addEventListener("click", function () { skip(-SKIP_SECONDS); });
    forward.addEventListener("click", function () { skip(SKIP_SECONDS); });
    var controls = document.createElement("div");
    controls.className = "narrate-controls";
    controls.setAttribute("role", "group");
    controls.setAttribute("aria-label", "Player controls");
    controls.appendChild(back);
    controls.appendChild(forward);
    controls.appendChild(speedControl(audio));
    audio.insertAdjacentElement("afterend", controls);

    figure.setAttribute("aria-keyshortcuts", "Space ArrowLeft ArrowRight");
    figure.addEventListener("keydown", function (event) {
      var tag = event.target.tagName;
      if (event.altKey || event.ctrlKey || event.metaKey || /^(AUDIO|SELECT|INPUT|TEXTAREA)$/.test(tag)) return;
      if (event.key === " " && tag !== "BUTTON") {
        event.preventDefault();
        togglePlayback();
      } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        event.preventDefault();
        skip(event.key === "ArrowLeft" ? -SKIP_SECONDS : SKIP_SECONDS);
      }
    });
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll("figure[data-narrate]"), setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
