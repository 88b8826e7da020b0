// The organiser console's enhancements (every console page works without this script).
'use strict';

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
    var timer = null;
    var sent = 0;
    var render = function () {
      var ticket = ++sent;
      var body = new window.URLSearchParams();
      body.set('csrf', csrf.value);
      body.set('text', area.value);
      fetch(action, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json' }, body: body })
        .then(function (r) {
          var type = r.headers.get('content-type') || '';
          return r.ok && type.indexOf('application/json') === 0 ? r.json() : null;
        })
        .then(function (data) {
          if (!data || typeof data.html !== 'string' || ticket !== sent) return;
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
        })
        .catch(function () { /* offline: the Preview button still works */ });
    };
    area.addEventListener('input', function () {
      if (timer) window.clearTimeout(timer);
      timer = setTimeout(render, 250);
    });
  });
})();
