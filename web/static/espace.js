// Repère: progressive enhancements of the partner space. Every form works
// without this file; with it, communes and zones are suggested as they are
// typed, opening hours and the description are previewed live, a conflict's
// other version is taken in one click, and a long edit keeps its session.
(function () {
  'use strict';

  var debounce = window.repereDebounce; // combobox.js

  function csrfOf(form) {
    var f = form.querySelector('input[name="csrf"]');
    return f ? f.value : '';
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : []; });
  }

  // The commune of an address: fills the hidden INSEE code and the postal
  // code.
  function communeField(group) {
    var input = group.querySelector('input[name="commune"]');
    var form = input.form;
    var code = form.querySelector('input[name="code_insee"]');
    var postal = form.querySelector('input[name="code_postal"]');
    input.addEventListener('input', function () { if (code) code.value = ''; });
    window.repereCombobox(input, 'Communes proposées', function (q) {
      return getJSON('/api/v1/communes?limit=10&q=' + encodeURIComponent(q));
    }, function (c) {
      return c.nom + ' (' + c.codeDepartement + ')' + ((c.codesPostaux || []).length ? ' – ' + c.codesPostaux[0] : '');
    }, function (c) {
      input.value = c.nom;
      if (code) code.value = c.code;
      var cps = c.codesPostaux || [];
      if (postal && cps.length && cps.indexOf(postal.value.trim()) < 0) postal.value = cps[0];
      input.dispatchEvent(new Event('change', { bubbles: true }));
      return 'Commune choisie : ' + c.nom + '.';
    });
  }

  // The zone picker: a suggestion chosen becomes a ticked box.
  function zoneField(group) {
    var input = group.querySelector('input[name="zone_ajout"]');
    var form = input.form;
    var list = form.querySelector('[data-zone-list]');
    var empty = form.querySelector('[data-zone-empty]');
    var add = form.querySelector('[data-zone-add]');
    if (add) add.hidden = true;
    var n = 0;
    window.repereCombobox(input, 'Territoires proposés', function (q) {
      return getJSON('/api/v1/territoires?q=' + encodeURIComponent(q));
    }, function (t) {
      return t.type + ' : ' + t.libelle;
    }, function (t) {
      input.value = '';
      var existing = list.querySelector('input[value="' + CSS.escape(t.cle) + '"]');
      if (existing) {
        existing.checked = true;
      } else {
        var id = 'zone-ajoutee-' + (++n);
        var el = document.createElement('div');
        el.className = 'fr-fieldset__element';
        var g = document.createElement('div');
        g.className = 'fr-checkbox-group';
        var box = document.createElement('input');
        box.type = 'checkbox';
        box.id = id;
        box.name = 'zone_eligibilite';
        box.value = t.cle;
        box.checked = true;
        var lab = document.createElement('label');
        lab.className = 'fr-label';
        lab.htmlFor = id;
        lab.textContent = t.type === 'Pays' ? t.libelle : t.type + ' : ' + t.libelle;
        g.appendChild(box);
        g.appendChild(lab);
        el.appendChild(g);
        list.appendChild(el);
      }
      if (empty) empty.hidden = true;
      form.dispatchEvent(new Event('input', { bubbles: true }));
      return 'Zone ajoutée : ' + t.libelle + '.';
    });
  }

  // Opening hours, read as the public page will show them.
  function hoursPreview(input) {
    var box = input.closest('form').querySelector('[data-hours-preview]');
    if (!box) return;
    var seq = 0;
    input.addEventListener('input', debounce(function () {
      var mine = ++seq;
      getJSON('/api/v1/horaires?horaires=' + encodeURIComponent(input.value)).then(function (p) {
        if (mine !== seq) return;
        box.replaceChildren();
        if (!p || (!p.valide && !p.erreur)) return;
        if (!p.valide) {
          var err = document.createElement('p');
          err.className = 'fr-text--sm hours__error';
          err.textContent = 'Ces horaires ne se lisent pas encore : ' + p.erreur;
          box.appendChild(err);
          return;
        }
        var intro = document.createElement('p');
        intro.className = 'fr-text--sm fr-mb-1w';
        intro.textContent = 'Ce que verra le public : ' + p.etat + '.';
        box.appendChild(intro);
        var table = document.createElement('table');
        table.className = 'hours';
        var caption = document.createElement('caption');
        caption.className = 'fr-sr-only';
        caption.textContent = 'Horaires d’une semaine ordinaire';
        table.appendChild(caption);
        var body = document.createElement('tbody');
        (p.jours || []).forEach(function (d) {
          var tr = document.createElement('tr');
          var th = document.createElement('th');
          th.scope = 'row';
          th.textContent = d.jour;
          var td = document.createElement('td');
          td.textContent = d.horaires;
          tr.appendChild(th);
          tr.appendChild(td);
          body.appendChild(tr);
        });
        table.appendChild(body);
        var wrap = document.createElement('div');
        wrap.className = 'fr-table fr-table--sm fr-table--no-caption';
        wrap.appendChild(table);
        box.appendChild(wrap);
      }).catch(function () {});
    }, 300));
  }

  // The description, rendered and sanitised by the server as on the
  // service page.
  function markdownPreview(button) {
    var form = button.form;
    var area = form.querySelector('textarea[name="description"]');
    var body = form.querySelector('[data-preview-body]');
    if (!area || !body) return;
    var shown = !body.classList.contains('markdown-preview__body--closed');
    function refresh() {
      var data = new URLSearchParams();
      data.set('csrf', csrfOf(form));
      data.set('description', area.value);
      return fetch('/espace/apercu', {
        method: 'POST', body: data, credentials: 'same-origin',
        headers: { Accept: 'application/json', 'X-CSRF-Token': csrfOf(form) }
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (res) {
        if (!res) return;
        body.innerHTML = res.html; // sanitised by the server, and no inline script runs under the CSP
        var intro = document.createElement('p');
        intro.className = 'fr-text--sm fr-mb-1w';
        intro.textContent = 'Aperçu, tel que le public le verra :';
        body.prepend(intro);
      });
    }
    button.addEventListener('click', function (e) {
      e.preventDefault();
      shown = !shown;
      body.classList.toggle('markdown-preview__body--closed', !shown);
      button.setAttribute('aria-expanded', shown ? 'true' : 'false');
      button.textContent = shown ? 'Masquer l’aperçu' : 'Aperçu de la description';
      if (shown) refresh().then(function () { body.focus(); });
    });
    button.setAttribute('aria-expanded', shown ? 'true' : 'false');
    area.addEventListener('input', debounce(function () { if (shown) refresh(); }, 600));
  }

  // On a conflict: take the other version of a field.
  function useOther(box) {
    var button = box.querySelector('[data-use-other]');
    if (!button) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var raw = box.dataset.raw || '';
      var fieldset = box.closest('fieldset[data-name]');
      var form = box.closest('form');
      if (box.hasAttribute('data-list') && fieldset) {
        var values = raw.split(/\s+/).filter(Boolean);
        fieldset.querySelectorAll('input[name="' + fieldset.dataset.name + '"]').forEach(function (c) {
          c.checked = values.indexOf(c.value) >= 0;
        });
      } else if (fieldset) {
        fieldset.querySelectorAll('input[name="' + fieldset.dataset.name + '"]').forEach(function (c) {
          c.checked = c.value === raw;
        });
      } else {
        var group = box.closest('.fr-input-group, .fr-select-group');
        var field = group && group.querySelector('input, textarea, select');
        if (field) field.value = raw;
        if (box.dataset.code !== undefined) {
          var code = form.querySelector('input[name="code_insee"]');
          if (code) code.value = box.dataset.code;
        }
      }
      button.textContent = 'Version reprise';
      button.disabled = true;
      form.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }

  // Typing keeps the session alive (30 minutes of inactivity end it), and
  // leaving with unsaved changes asks first.
  function editorForm(form) {
    var last = Date.now();
    var dirty = false;
    form.addEventListener('input', function () {
      dirty = true;
      if (Date.now() - last > 5 * 60 * 1000) {
        last = Date.now();
        fetch('/espace/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } }).catch(function () {});
      }
    });
    form.addEventListener('change', function () { dirty = true; });
    form.addEventListener('submit', function () { dirty = false; });
    window.addEventListener('beforeunload', function (e) {
      if (dirty) { e.preventDefault(); e.returnValue = ''; }
    });
  }

  function init() {
    document.querySelectorAll('[data-suggest="commune"]').forEach(communeField);
    document.querySelectorAll('[data-suggest="zone"]').forEach(zoneField);
    document.querySelectorAll('input[data-preview="horaires"]').forEach(hoursPreview);
    document.querySelectorAll('[data-preview-button]').forEach(markdownPreview);
    document.querySelectorAll('[data-other]').forEach(useOther);
    document.querySelectorAll('form[data-editor]').forEach(editorForm);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
