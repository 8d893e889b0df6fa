// Repère: progressive enhancements of the search forms. Every page works
// without this file; with it, the "Où ?" field suggests communes, "Autour de
// moi" uses the browser's position, and filters update the results in place.
(function () {
  'use strict';

  var POSITION_LABEL = 'Autour de ma position'; // as the server fills the field

  function departementOf(c) {
    var d = c.departement || c.codeDepartement || '';
    return typeof d === 'object' ? d.code || '' : d;
  }

  // The "Où ?" field suggests communes and fills code_commune.
  function combobox(group) {
    if (group.dataset.ready) return;
    group.dataset.ready = '1';
    var input = group.querySelector('input[name="commune"]');
    var code = group.querySelector('input[name="code_commune"]');
    var lat = group.querySelector('input[name="lat"]');
    var lon = group.querySelector('input[name="lon"]');
    input.addEventListener('input', function () {
      code.value = '';
      lat.value = '';
      lon.value = '';
    });
    window.repereCombobox(input, 'Communes proposées', function (q) {
      return fetch('/api/v1/communes?q=' + encodeURIComponent(q) + '&limit=8', { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (data) { return Array.isArray(data) ? data : []; });
    }, function (c) {
      var cp = (c.codesPostaux || [])[0];
      return c.nom + (cp ? ' – ' + cp : '') + ' (' + departementOf(c) + ')';
    }, function (c) {
      input.value = c.nom + ' (' + departementOf(c) + ')';
      code.value = c.code;
      lat.value = '';
      lon.value = '';
      return 'Commune choisie : ' + c.nom + '.';
    });
  }

  // "Autour de moi": only shown when the browser can give a position.
  function geolocate(group) {
    var button = group.querySelector('[data-geolocate]');
    var status = group.querySelector('[data-geolocate-status]');
    if (!button || !('geolocation' in navigator) || button.dataset.ready) return;
    button.dataset.ready = '1';
    button.hidden = false;
    button.addEventListener('click', function () {
      status.textContent = 'Recherche de votre position…';
      navigator.geolocation.getCurrentPosition(function (pos) {
        group.querySelector('input[name="lat"]').value = pos.coords.latitude.toFixed(4);
        group.querySelector('input[name="lon"]').value = pos.coords.longitude.toFixed(4);
        group.querySelector('input[name="code_commune"]').value = '';
        group.querySelector('input[name="commune"]').value = POSITION_LABEL;
        status.textContent = 'Position trouvée. Lancez la recherche.';
      }, function () {
        status.textContent = 'Votre position n’est pas disponible : indiquez une commune.';
      }, { timeout: 10000, maximumAge: 600000 });
    });
  }

  // queryOf is the query string of a search form without its empty fields,
  // and without the typed text once a commune or a position is chosen.
  function queryOf(form, submitter) {
    var data = submitter ? new FormData(form, submitter) : new FormData(form);
    var placed = data.get('code_commune') || (data.get('lat') && data.get('lon'));
    var params = new URLSearchParams();
    data.forEach(function (v, k) {
      if (v === '' || (k === 'commune' && placed)) return;
      params.append(k, v);
    });
    return params.toString();
  }

  // Live results: a ticked filter, a sort or a radius reloads the results
  // in place, keeps the focus where it was and announces the new count.
  function liveSearch(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = '1';
    form.addEventListener('change', function (e) {
      var t = e.target;
      if (!t.matches('input[type="checkbox"], select')) return;
      if (t.type === 'checkbox' && !t.checked) {
        var children = t.closest('.fr-fieldset__element').querySelectorAll('.facet__children input');
        Array.prototype.forEach.call(children, function (c) { c.checked = false; });
      }
      load(form.action + '?' + queryOf(form), t.id, true);
    });
  }

  var loading = 0;
  function load(url, focusId, push) {
    var mine = ++loading;
    var current = document.getElementById('recherche');
    if (current) current.setAttribute('aria-busy', 'true');
    fetch(url, { headers: { Accept: 'text/html' } }).then(function (r) {
      return r.text().then(function (html) { return { r: r, html: html }; });
    }).then(function (res) {
      if (mine !== loading) return;
      var doc = new DOMParser().parseFromString(res.html, 'text/html');
      var fresh = doc.getElementById('recherche');
      current = document.getElementById('recherche');
      if (!res.r.ok || !fresh || !current) { window.location.assign(url); return; }
      // The filters panel stays as it was (open on a phone while ticking).
      var panel = current.querySelector('#filtres');
      if (panel && panel.classList.contains('fr-collapse--expanded')) {
        var freshPanel = fresh.querySelector('#filtres');
        var toggle = fresh.querySelector('[aria-controls="filtres"]');
        if (freshPanel) freshPanel.classList.add('fr-collapse--expanded');
        if (toggle) toggle.setAttribute('aria-expanded', 'true');
      }
      current.replaceWith(fresh);
      document.title = doc.title;
      if (push) history.pushState({ live: true }, '', res.r.url);
      enhance(fresh);
      var el = focusId && document.getElementById(focusId);
      if (el) el.focus();
      var heading = fresh.querySelector('#resultats-titre');
      var status = fresh.querySelector('#resultats-statut');
      if (heading && status) status.textContent = heading.textContent;
      document.dispatchEvent(new CustomEvent('repere:update', { detail: fresh }));
    }).catch(function () { window.location.assign(url); });
  }

  window.addEventListener('popstate', function () {
    if (document.getElementById('recherche') && location.pathname === '/recherche') load(location.href, null, false);
  });

  // all is querySelectorAll including root itself.
  function all(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) found.unshift(root);
    return found;
  }

  function enhance(root) {
    all(root, '[data-combobox]').forEach(function (g) { combobox(g); geolocate(g); });
    all(root, 'form[data-live-search]').forEach(liveSearch);
    all(root, 'form[role="search"]').forEach(function (form) {
      if (form.dataset.submitReady) return;
      form.dataset.submitReady = '1';
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        window.location.assign(form.action + '?' + queryOf(form, e.submitter));
      });
    });
  }

  // Service page: "Copier les informations" and "Imprimer", shown only
  // when this script runs (without it, the text is in the disclosure below
  // the buttons and the browser prints the page).
  function serviceActions() {
    var status = document.getElementById('copie-statut');
    document.querySelectorAll('[data-copy]').forEach(function (button) {
      var text = document.getElementById(button.dataset.copy);
      if (!text) return;
      button.closest('li').hidden = false;
      button.hidden = false;
      button.addEventListener('click', function () {
        function done() { status.textContent = 'Informations copiées : vous pouvez les coller dans un dossier ou un message.'; }
        function manual() {
          var box = text.closest('details');
          if (box) box.open = true;
          text.focus();
          text.select();
          if (document.execCommand && document.execCommand('copy')) { done(); return; }
          status.textContent = 'La copie automatique n’est pas possible : le texte est sélectionné, copiez-le avec Ctrl+C.';
        }
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text.value).then(done, manual);
        } else {
          manual();
        }
      });
    });
    document.querySelectorAll('[data-print]').forEach(function (button) {
      button.closest('li').hidden = false;
      button.hidden = false;
      button.addEventListener('click', function () { window.print(); });
    });
  }

  // "Aller aux résultats" and "Afficher les N résultats": the focus follows
  // the link (browsers only scroll), so that Tab goes on from the results.
  document.addEventListener('click', function (e) {
    var link = e.target.closest && e.target.closest('a[href="#resultats"]');
    var target = link && document.getElementById('resultats');
    if (!target) return;
    e.preventDefault();
    target.focus();
    if (location.hash !== '#resultats') history.replaceState(history.state, '', '#resultats');
  });

  enhance(document);
  serviceActions();
})();
