// The organiser console's enhancements (every console page works without this script).
'use strict';

// ── Live previews: the server renders what is typed (a CSRF-checked form post answering JSON) ──
// `livePreview` returns a function to call on each keystroke: after `delay` ms without one it posts
// `bodyOf()` to `url` and gives the JSON to `show`; an answer overtaken by a later one is dropped,
// and a failure (offline) changes nothing: the page's Preview button still works.
function livePreview(url, bodyOf, show, delay) {
  var timer = null;
  var seq = 0;
  function refresh() {
    var mine = ++seq;
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: bodyOf().toString(),
    })
      .then(function (res) {
        var type = res.headers.get('Content-Type') || '';
        return type.indexOf('application/json') === 0 ? res.json() : null;
      })
      .then(function (data) {
        if (data && mine === seq) show(data);
      })
      .catch(function () { /* offline: the Preview button still works */ });
  }
  return function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, delay);
  };
}

/** The form's fields as a form post, without the submit button's `name`. */
function formFields(form, without) {
  var body = new window.URLSearchParams(new window.FormData(form));
  body.delete(without);
  return body;
}

// ── Campaign form (console-campaigns): the body's preview follows what is typed ──
// The server renders the text with the public page's own renderer (POST …/campaigns/preview-text,
// with the form's CSRF token); without this script the "Preview the text" button does the same.
(function campaignTextPreview() {
  var form = document.querySelector('form.campaign-form');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var action = form.getAttribute('data-preview-action');
  var csrf = form.querySelector('input[name="csrf"]');
  if (!action || !csrf) return;
  var note = document.getElementById('preview-live');
  if (note) note.hidden = false;
  var areas = form.querySelectorAll('textarea[data-preview]');
  Array.prototype.forEach.call(areas, function (area) {
    var target = document.getElementById(area.getAttribute('data-preview'));
    if (!target) return;
    var bodyOf = function () {
      var body = new window.URLSearchParams();
      body.set('csrf', csrf.value);
      body.set('text', area.value);
      return body;
    };
    var show = function (data) {
      if (typeof data.html !== 'string') return;
      if (data.html) {
        // Built by the server's renderer, which escapes everything the organiser typed.
        target.innerHTML = data.html;
      } else {
        var empty = document.createElement('p');
        empty.className = 'muted';
        empty.lang = document.documentElement.lang;
        empty.dir = 'auto';
        empty.textContent = target.getAttribute('data-empty') || '';
        target.replaceChildren(empty);
      }
    };
    area.addEventListener('input', livePreview(action, bodyOf, show, 250));
  });
})();

// ── The letter's live preview (console-letter.hbs): as the organiser types, the letter is rendered
// again for the chosen official, in their language, by the server's own renderer (a CSRF-protected
// form post to …/letter/preview answering JSON). Without this script the Preview button does it.
(function letterPreview() {
  var form = document.getElementById('letter-form');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var url = form.getAttribute('data-preview-url');
  var result = document.getElementById('preview-result');
  if (!url || !result) return;

  function show(data) {
    while (result.firstChild) result.removeChild(result.firstChild);
    if (data.error) {
      var p = document.createElement('p');
      p.id = 'preview-error';
      p.className = 'muted';
      p.textContent = data.error;
      result.appendChild(p);
      return;
    }
    var intro = document.createElement('p');
    intro.className = 'muted small';
    intro.id = 'preview-intro';
    intro.textContent = data.intro;
    result.appendChild(intro);
    if (data.fellBack) {
      var note = document.createElement('p');
      note.className = 'notice';
      note.id = 'preview-fellback';
      note.textContent = data.fellBack;
      result.appendChild(note);
    }
    var sheet = document.createElement('div');
    sheet.className = 'letter-sheet';
    sheet.id = 'preview-letter';
    sheet.setAttribute('lang', data.locale);
    sheet.setAttribute('dir', data.dir);
    var subject = document.createElement('p');
    subject.className = 'letter-subject';
    var strong = document.createElement('strong');
    strong.id = 'preview-subject';
    strong.textContent = data.subject;
    subject.appendChild(strong);
    var text = document.createElement('div');
    text.className = 'letter-text';
    text.id = 'preview-text';
    text.textContent = data.text;
    sheet.appendChild(subject);
    sheet.appendChild(text);
    result.appendChild(sheet);
  }

  var later = livePreview(url, function () { return formFields(form, 'action'); }, show, 300);
  form.addEventListener('input', later);
  form.addEventListener('change', later);
  form.setAttribute('data-live-preview', 'on');
})();
// ── Supporters page: a "select all on this page" box for the held signatures' checkboxes ──
(function supportersSelectAll() {
  var form = document.getElementById('held-actions');
  if (!form) return;
  var boxes = form.querySelectorAll('input[type=checkbox][name=ids]');
  var buttons = form.querySelector('.held-buttons');
  if (!boxes.length || !buttons) return;
  var wrap = document.createElement('p');
  wrap.className = 'check select-all';
  var all = document.createElement('input');
  all.type = 'checkbox';
  all.id = 'held-select-all';
  var label = document.createElement('label');
  label.htmlFor = all.id;
  label.textContent = form.getAttribute('data-select-all') || '';
  wrap.appendChild(all);
  wrap.appendChild(label);
  buttons.parentNode.insertBefore(wrap, buttons);
  all.addEventListener('change', function () {
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = all.checked;
  });
})();

// ── Updates (console-updates.hbs): the preview of the update and its email follows what is typed.
// The server renders it (POST …/updates/preview with the form and its CSRF token, answering
// {html} built from escaped text); without this script the Preview button does the same.
(function updatePreview() {
  var form = document.getElementById('update-form');
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  var url = form.getAttribute('data-preview-url');
  var result = document.getElementById('update-preview-result');
  if (!url || !result) return;
  var note = document.getElementById('preview-live');
  if (note) note.hidden = false;
  var later = livePreview(url, function () { return formFields(form, 'intent'); }, function (data) {
    // Built by the server's renderers, which escape everything the organiser typed.
    if (typeof data.html === 'string') result.innerHTML = data.html;
  }, 300);
  form.addEventListener('input', later);
  form.addEventListener('change', later);
  form.setAttribute('data-live-preview', 'on');
})();

// ── One update's send (console-update.hbs): while it is sending, its numbers are read every few
// seconds from …/progress (a GET with the session) and written into the page; when the send stops
// or changes state (paused elsewhere, done) the page is loaded again for the right buttons. Without
// this script the page has a Refresh link (no timed reload: it would move a screen reader's place).
(function sendProgress() {
  var section = document.getElementById('send');
  if (!section || section.getAttribute('data-live') !== 'on' || !window.fetch) return;
  var url = section.getAttribute('data-progress-url');
  var every = Number(section.getAttribute('data-poll-ms')) || 2000;
  var state = section.getAttribute('data-state');
  if (!url) return;
  var live = document.getElementById('live-note');
  var manual = document.getElementById('refresh-note');
  if (live) live.hidden = false;
  if (manual) manual.hidden = true;
  var bar = document.getElementById('send-progress');
  function text(id, value) {
    var el = document.getElementById(id);
    if (el && typeof value === 'string' && el.textContent !== value) el.textContent = value;
  }
  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(function (res) {
        var type = res.headers.get('Content-Type') || '';
        return res.ok && type.indexOf('application/json') === 0 ? res.json() : null;
      })
      .then(function (data) {
        if (!data) return window.setTimeout(poll, every * 2);
        if (data.state !== state) return window.location.reload();
        text('progress-text', data.text);
        var n = data.numbers || {};
        ['recipients', 'sent', 'failed', 'pending', 'skipped', 'cancelled'].forEach(function (k) { text('n-' + k, n[k]); });
        if (bar) {
          bar.max = data.max;
          bar.value = data.value;
          bar.textContent = data.percent;
        }
        section.setAttribute('data-polled', String(Number(section.getAttribute('data-polled') || 0) + 1));
        if (data.live) window.setTimeout(poll, every);
      })
      .catch(function () { window.setTimeout(poll, every * 2); });
  }
  window.setTimeout(poll, every);
})();
