// Synonym groups and the Chinese–English glossary: list, filter, add, edit, delete. Every save
// rebuilds the live index on the server. Data is inserted as text only.
import { api, el, mountShell } from '/console/shell.js';
import { errorText } from '/console/shell-text.js';
import { synonymsText as T } from '/console/synonyms-text.js';

const main = document.getElementById('main');
const statusLine = el('p', { class: 'status', role: 'status', hidden: true });
const split = (text, pattern) =>
  text
    .split(pattern)
    .map((s) => s.trim())
    .filter(Boolean);

// Status lines are hidden while empty: the page has three, and only the one with news is shown.
function say(text, error = false, line = statusLine) {
  line.textContent = text;
  line.classList.toggle('error', error);
  line.hidden = !text;
}

/**
 * A refusal of the synonym store in Chinese. Its messages are English for scripts and quote the
 * words involved (“扶梯” … “电梯”); the code and the quoted words say enough to explain it here.
 */
function explain(error, synonyms) {
  const words = [...String(error.message ?? '').matchAll(/“([^”]*)”/g)].map((m) => m[1]);
  if (error.code === 'TERM_CONFLICT') {
    if (synonyms && words.length >= 2) return T.wordTaken(words[0], words[1]);
    if (!synonyms && words.length >= 2) return T.phraseTaken(words[0], words[1]);
    if (!synonyms && words.length === 1) return T.termExists(words[0]);
    return T.conflict;
  }
  if (error.code === 'SYNONYM_NOT_FOUND') return synonyms ? T.groupGone : T.termGone;
  if (error.code === 'INVALID_LEARNING_INPUT') return synonyms ? T.needVariant : T.needPhrase;
  return errorText(error);
}

/** One editable list (synonym groups or glossary terms). */
function editor(kind) {
  const synonyms = kind === 'synonyms';
  const base = synonyms ? '/api/console/synonyms' : '/api/console/glossary';
  const headKey = synonyms ? 'canonical' : 'chinese';
  const listKey = synonyms ? 'variants' : 'phrases';
  const separator = synonyms ? /[\s,，、]+/ : /[,，]+/;
  const joiner = synonyms ? ' ' : ', ';
  let items = [];
  let editingId;

  const head = el('input', { id: `${kind}-head`, maxlength: '20', required: true });
  const list = el('input', { id: `${kind}-list`, required: true, class: 'grow' });
  const editingNote = el('span', { class: 'muted' });
  const cancel = el('button', { type: 'button', hidden: true }, T.cancel);
  const filter = el('input', { id: `${kind}-filter`, type: 'search' });
  const count = el('span', { class: 'muted' });
  // Each form reports next to itself: the glossary sits thousands of pixels below the page top.
  const status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-status': kind, hidden: true });
  const report = (text, error = false) => say(text, error, status);
  const body = el('tbody');
  const form = el(
    'form',
    { 'aria-label': synonyms ? T.synonymsTitle : T.glossaryTitle, 'data-form': kind },
    el(
      'div',
      { class: 'row' },
      el('div', {}, el('label', { for: `${kind}-head` }, synonyms ? T.canonical : T.chinese), head),
      el(
        'div',
        { class: 'grow' },
        el('label', { for: `${kind}-list` }, synonyms ? T.variants : T.phrases),
        el('div', { class: 'row' }, list),
      ),
    ),
    el('div', { class: 'row' }, el('button', { type: 'submit', class: 'primary' }, T.save), cancel, editingNote),
    status,
  );

  function reset() {
    editingId = undefined;
    head.value = '';
    list.value = '';
    editingNote.textContent = '';
    cancel.hidden = true;
  }
  cancel.addEventListener('click', reset);

  function render() {
    const needle = filter.value.trim().toLowerCase();
    const shown = items.filter(
      (i) => !needle || [i[headKey], ...i[listKey]].some((w) => w.toLowerCase().includes(needle)),
    );
    count.textContent = T.count(shown.length, items.length);
    body.replaceChildren(
      ...shown.map((i) =>
        el(
          'tr',
          { 'data-id': String(i.id) },
          el('th', { scope: 'row' }, i[headKey]),
          el('td', {}, i[listKey].join(joiner)),
          el('td', { class: 'muted' }, i.updatedBy ?? ''),
          el(
            'td',
            {},
            el(
              'button',
              {
                type: 'button',
                'aria-label': `${T.edit} ${i[headKey]}`,
                onclick: () => {
                  editingId = i.id;
                  head.value = i[headKey];
                  list.value = i[listKey].join(joiner);
                  editingNote.textContent = T.editing(i[headKey]);
                  cancel.hidden = false;
                  head.focus();
                },
              },
              T.edit,
            ),
            ' ',
            el(
              'button',
              {
                type: 'button',
                'aria-label': `${T.remove} ${i[headKey]}`,
                onclick: async () => {
                  if (!confirm(T.confirmRemove(i[headKey]))) return;
                  try {
                    await api(`${base}/${i.id}`, { method: 'DELETE', raw: true });
                    await reload();
                    report(T.removed(i[headKey]));
                  } catch (error) {
                    report(explain(error, synonyms), true);
                  }
                },
              },
              T.remove,
            ),
          ),
        ),
      ),
    );
  }
  filter.addEventListener('input', render);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const payload = { [headKey]: head.value.trim(), [listKey]: split(list.value, separator) };
    try {
      const saved = await api(editingId === undefined ? base : `${base}/${editingId}`, {
        method: editingId === undefined ? 'POST' : 'PUT',
        body: payload,
      });
      reset();
      // The list first, then the news: whoever reads "saved" finds the saved group listed.
      await reload();
      report(T.saved(saved[headKey]));
    } catch (error) {
      report(explain(error, synonyms), true);
    }
  });

  async function reload() {
    const data = await api('/api/console/synonyms');
    items = synonyms ? data.synonyms : data.glossary;
    render();
  }

  const section = el(
    'section',
    { class: 'card', 'data-editor': kind },
    el('h2', {}, synonyms ? T.synonymsTitle : T.glossaryTitle),
    form,
    el('div', { class: 'row' }, el('label', { for: `${kind}-filter` }, T.filter), filter, count),
    el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, synonyms ? T.canonical : T.chinese),
          el('th', { scope: 'col' }, synonyms ? T.variants : T.phrases),
          el('th', { scope: 'col' }, T.updatedBy),
          el('th', { scope: 'col' }, T.actions),
        ),
      ),
      body,
    ),
  );
  return { section, reload };
}

async function start() {
  document.title = `${T.title} · 民声`;
  await mountShell('synonyms');
  const groups = editor('synonyms');
  const glossary = editor('glossary');
  main.replaceChildren(
    el('h1', {}, T.title),
    el('p', { class: 'intro' }, T.intro),
    statusLine,
    groups.section,
    glossary.section,
  );
  await Promise.all([groups.reload(), glossary.reload()]);
}

start().catch((error) => say(errorText(error), true));
