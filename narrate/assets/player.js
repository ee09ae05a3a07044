/* narrate player: a bar over the browser's <audio>, a highlight that follows the spoken sentence in the
   transcript or in the page's own paragraphs (data-follow), and narrate:* events for the site's analytics. */
(() => {
  "use strict";
  const SKIP = 15, MILESTONES = [25, 50, 75], LINGER = 1.5;
  const NOT_WORD = /[^\p{L}\p{N}]/gu, PUNCTUATION = /[^\s\p{L}\p{N}]/u;
  const lit = window.Highlight && CSS.highlights, audios = [], followed = new WeakSet();
  const still = matchMedia("(prefers-reduced-motion: reduce)");

  function clock(seconds) {
    const whole = Math.round(seconds) || 0, two = (n) => String(n).padStart(2, "0"), hours = Math.floor(whole / 3600);
    return (hours ? hours + ":" + two(Math.floor(whole / 60) % 60) : Math.floor(whole / 60)) + ":" + two(whole % 60);
  }

  /* An element's letters and digits folded as narrate/publish/follow_along.py folds them, each with
     the text node and offsets of the character it comes from. */
  function fold(element) {
    const letters = [], from = [], walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode()); ) {
      let at = 0;
      for (const character of node.nodeValue) {
        for (const kept of character.normalize("NFKD").toLowerCase().replace(NOT_WORD, "")) {
          letters.push(kept);
          from.push([node, at, at + character.length]);
        }
        at += character.length;
      }
    }
    return { letters, from };
  }

  function fingerprint(letters) {
    let value = 0x811c9dc5;
    for (const letter of letters) value = Math.imul(value ^ letter.codePointAt(0), 0x01000193) >>> 0;
    return value.toString(36);
  }

  /* The sentences of the page's paragraphs whose text is one of the episode's, with their ranges. */
  function pageSentences(figure, timing) {
    const waiting = new Map(), found = [];
    for (const [print, ...sentences] of timing) waiting.set(print, [...(waiting.get(print) || []), sentences]);
    let paragraphs = [];
    try { paragraphs = document.querySelectorAll(figure.dataset.follow); } catch (invalid) { /* follow nothing */ }
    for (const paragraph of paragraphs) {
      if (followed.has(paragraph) || figure.contains(paragraph)) continue;
      const { letters, from } = fold(paragraph), sentences = (waiting.get(fingerprint(letters)) || []).shift();
      if (!sentences) continue;
      followed.add(paragraph);
      for (const [start, end, offset, length] of sentences) {
        let range = null;
        if (lit && length) {
          let [first, head] = from[offset], [last, , tail] = from[offset + length - 1];
          while (PUNCTUATION.test(first.nodeValue[head - 1] || " ")) head -= 1;
          while (PUNCTUATION.test(last.nodeValue[tail] || " ")) tail += 1;
          range = new Range();
          range.setStart(first, head);
          range.setEnd(last, tail);
        }
        found.push({ start, end, element: paragraph, paragraph, range });
      }
    }
    return found;
  }

  function setUp(figure) {
    const audio = figure.querySelector("audio"), bar = figure.querySelector(".narrate-bar");
    if (!audio || !bar || figure.classList.contains("narrate-ready")) return;
    const [play, back, forward] = bar.querySelectorAll("button"), speed = bar.querySelector("select");
    const seek = bar.querySelector("input"), time = bar.querySelector(".narrate-time");
    const labels = [play.ariaLabel, play.dataset.pause];
    const timing = figure.querySelector(".narrate-timing");
    const items = timing ? pageSentences(figure, JSON.parse(timing.textContent)) : Array.from(
      figure.querySelectorAll(".narrate-text [data-start]"),
      (element) => ({ start: +element.dataset.start, end: +element.dataset.end, element, paragraph: element.parentNode })
    );
    items.sort((a, b) => a.start - b.start);
    let current = null, reached = 0, active = false;
    audios.push(audio);
    figure.classList.add("narrate-ready");
    bar.hidden = false;

    const length = () => (isFinite(audio.duration) ? audio.duration : +seek.max);
    const send = (name, extra) => figure.dispatchEvent(new CustomEvent("narrate:" + name, {
      bubbles: true, detail: { guid: figure.dataset.guid, position: audio.currentTime, duration: length(), ...extra }
    }));
    const toggle = () => (audio.paused ? audio.play().catch(() => {}) : audio.pause());
    const skip = (seconds) => { audio.currentTime = Math.max(0, Math.min(length(), audio.currentTime + seconds)); };

    function mark(item) {
      if (item === current) return false;
      if (current) {
        current.element.classList.remove("narrate-current");
        current.element.removeAttribute("aria-current");
        if (current.range) lit.delete("narrate");
      }
      current = item;
      if (item) {
        item.element.setAttribute("aria-current", "true");
        if (item.range) lit.set("narrate", new Highlight(item.range));
        else item.element.classList.add("narrate-current");
      }
      return true;
    }

    function spokenNow() {
      const now = audio.currentTime + 0.05, found = items.filter((item) => item.start <= now).pop();
      return found && now <= found.end + LINGER ? found : null;
    }

    /* Keep the spoken sentence in view inside a scrolling transcript; the page itself never scrolls. */
    function follow() {
      const box = current && current.element.closest(".narrate-text");
      if (!box || box.scrollHeight <= box.clientHeight) return;
      const top = current.element.getBoundingClientRect().top - box.getBoundingClientRect().top;
      if (top < 0 || top + current.element.offsetHeight > box.clientHeight) {
        box.scrollTo({ top: box.scrollTop + top - box.clientHeight / 3, behavior: still.matches ? "auto" : "smooth" });
      }
    }

    function listenFrom(item) {
      audio.currentTime = item.start;
      mark(item);
      if (audio.paused) toggle();
    }

    /* Paragraphs seek on click and Enter: the transcript's at once, the page's once the reader has pressed play. */
    function activate() {
      if (active) return;
      active = true;
      for (const paragraph of new Set(items.map((item) => item.paragraph))) {
        const first = items.find((item) => item.paragraph === paragraph);
        paragraph.classList.add("narrate-follow");
        paragraph.tabIndex = 0;
        paragraph.addEventListener("click", (event) => {
          if (event.target.closest("a, button, input, select, summary") || String(getSelection()).trim()) return;
          listenFrom(items.find((item) => item.element === event.target) || first);
        });
        paragraph.addEventListener("keydown", (event) => {
          if (event.key === "Enter" && event.target === paragraph) listenFrom(first);
        });
      }
    }

    function showTime() {
      const at = clock(audio.currentTime), total = clock(length());
      seek.max = length();
      seek.value = audio.currentTime;
      seek.ariaValueText = seek.dataset.valuetext.replace("{position}", at).replace("{duration}", total);
      time.textContent = at + " / " + total;
    }

    function playing() {
      figure.classList.toggle("narrate-playing", !audio.paused);
      play.ariaLabel = labels[audio.paused ? 0 : 1];
    }

    play.addEventListener("click", toggle);
    back.addEventListener("click", () => skip(-SKIP));
    forward.addEventListener("click", () => skip(SKIP));
    speed.addEventListener("change", () => { audio.playbackRate = audio.defaultPlaybackRate = +speed.value; });
    seek.addEventListener("input", () => { audio.currentTime = +seek.value; });
    audio.addEventListener("ratechange", () => { speed.value = audio.playbackRate; });
    audio.addEventListener("durationchange", showTime);
    audio.addEventListener("play", () => {
      for (const other of audios) if (other !== audio) other.pause();
      playing();
      activate();
      send("play");
    });
    audio.addEventListener("pause", () => {
      playing();
      if (!audio.ended) send("pause");
    });
    audio.addEventListener("ended", () => { mark(null); send("ended"); });
    audio.addEventListener("timeupdate", () => {
      showTime();
      while (reached < MILESTONES.length && audio.currentTime * 100 >= MILESTONES[reached] * length()) {
        send("progress", { percent: MILESTONES[reached++] });
      }
      if (mark(spokenNow()) && !audio.paused) follow();
    });
    audio.addEventListener("seeked", () => { mark(spokenNow()); follow(); });
    figure.addEventListener("toggle", follow, true);
    figure.addEventListener("keydown", (event) => {
      const tag = event.target.tagName, ahead = getComputedStyle(figure).direction === "rtl" ? "ArrowLeft" : "ArrowRight";
      if (event.altKey || event.ctrlKey || event.metaKey || tag === "SELECT") return;
      if (event.key === " " && !/^(BUTTON|SUMMARY|A)$/.test(tag)) toggle();
      else if (/^Arrow(Left|Right)$/.test(event.key)) skip(event.key === ahead ? SKIP : -SKIP);
      else return;
      event.preventDefault();
    });
    if (!timing) activate();
  }

  const setUpAll = () => document.querySelectorAll("figure[data-narrate]").forEach(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
