// "Try it": ask as a citizen and see the decision, the candidates and why each matched; with an
// unpublished edit, the same question against a copy of the index. Data is inserted as text only.
import { api, el, mountShell } from '/console/shell.js';
import { tryText as T } from '/console/try-text.js';

const main = document.getElementById('main');
const statusLine = el('p', { class: 'status', role: 'status' });
const results = el('section', { 'aria-live': 'polite', id: 'results' });

const terms = (label, items) =>
  items.length
    ? el(
        'div',
        { class: 'terms' },
        el('span', { class: 'muted' }, `${label}：`),
        items.map((t) => el('span', {}, t)),
      )
    : null;

function decisionView(title, d, key) {
  const candidates = d.candidates.length
    ? el(
        'table',
        {},
        el('caption', { class: 'sr' }, `${title} ${T.candidates}`),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            Object.values(T.columns).map((c) => el('th', { scope: 'col' }, c)),
          ),
        ),
        el(
          'tbody',
          {},
          d.candidates.map((c) =>
            el(
              'tr',
              { 'data-entry': c.entryId },
              el('td', {}, c.question, el('div', { class: 'muted' }, c.entryId)),
              el('td', {}, c.score.toFixed(3)),
              el('td', {}, c.matchedQuestion),
              el(
                'td',
                {},
                terms(T.why.words, c.words),
                terms(
                  T.why.synonyms,
                  c.synonyms.map((s) => `${s.word}${T.arrow}${s.canonical}`),
                ),
                terms(T.why.pinyin, c.pinyinPairs),
                terms(T.why.charPairs, c.charPairs),
                terms(T.why.chars, c.chars),
              ),
            ),
          ),
        ),
      )
    : el('p', { class: 'muted' }, T.noCandidates);
  return el(
    'div',
    { class: 'card', 'data-result': key },
    el('h2', {}, title),
    el('p', { class: `decision ${d.kind}`, 'data-decision': d.kind }, T.decision[d.kind]),
    d.entry ? el('p', {}, T.answeredWith(d.entry.id, d.entry.question)) : null,
    d.entry ? el('p', { class: 'muted' }, d.entry.answer) : null,
    d.options.length ? el('p', {}, T.options, d.options.map((o) => o.question).join('；')) : null,
    el('h3', {}, T.candidates),
    candidates,
  );
}

function field(id, label, control) {
  control.id = id;
  return [el('label', { for: id }, label), control];
}

async function start() {
  document.title = `${T.title} · 民声`;
  await mountShell('try');
  const question = el('textarea', { maxlength: '2000', required: true });
  const district = el('input', { maxlength: '50' });
  const compare = el('input', { type: 'checkbox', id: 'try-compare' });
  const entryId = el('input', { maxlength: '64' });
  const draftQuestion = el('input', { maxlength: '500', class: 'grow' });
  const draftSimilar = el('textarea', {});
  const draftAnswer = el('textarea', { maxlength: '10000' });
  const draftBox = el(
    'fieldset',
    { hidden: true },
    el('legend', {}, T.compare),
    ...field('try-entry', T.draftEntry, entryId),
    ...field('try-draft-question', T.draftQuestion, draftQuestion),
    ...field('try-draft-similar', T.draftSimilar, draftSimilar),
    ...field('try-draft-answer', T.draftAnswer, draftAnswer),
  );
  compare.addEventListener('change', () => (draftBox.hidden = !compare.checked));
  const params = new URLSearchParams(location.search);
  if (params.get('q')) question.value = params.get('q');
  // From the entry editor: /console/try?entry=ID compares with the entry's working version.
  if (params.get('entry')) {
    try {
      const detail = await api(`/api/console/entries/${encodeURIComponent(params.get('entry'))}`);
      const content = detail.working?.content ?? detail.live;
      if (content) {
        entryId.value = detail.id;
        draftQuestion.value = content.question;
        draftSimilar.value = content.similar.join('\n');
        draftAnswer.value = content.answer;
        compare.checked = true;
        draftBox.hidden = false;
      }
    } catch (error) {
      statusLine.textContent = error.message;
    }
  }

  const form = el(
    'form',
    { class: 'card', 'aria-label': T.title },
    ...field('try-question', T.question, question),
    ...field('try-district', T.district, district),
    el('div', { class: 'row' }, compare, el('label', { for: 'try-compare' }, T.compare)),
    draftBox,
    el('div', { class: 'row' }, el('button', { type: 'submit', class: 'primary' }, T.submit)),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { question: question.value.trim() };
    if (district.value.trim()) body.district = district.value.trim();
    if (compare.checked && draftQuestion.value.trim()) {
      body.draft = {
        question: draftQuestion.value.trim(),
        similar: draftSimilar.value
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
        answer: draftAnswer.value.trim(),
      };
      if (entryId.value.trim()) body.draft.entryId = entryId.value.trim();
    }
    statusLine.textContent = T.asking;
    statusLine.classList.remove('error');
    try {
      const r = await api('/api/console/try', { method: 'POST', body });
      statusLine.textContent = '';
      results.replaceChildren(
        el(
          'div',
          { class: 'card' },
          el('h2', {}, T.reading),
          el('p', {}, T.normalised, r.normalised),
          r.glossed !== r.normalised ? el('p', {}, T.glossed, r.glossed) : null,
          r.corrections.length ? el('p', {}, T.corrections, r.corrections.join('，')) : null,
          el(
            'p',
            {},
            T.synonymsUsed,
            r.synonyms.length ? r.synonyms.map((s) => `${s.word}${T.arrow}${s.canonical}`).join('，') : T.none,
          ),
        ),
        el(
          'div',
          { class: 'layout' },
          decisionView(T.live, r.live, 'live'),
          r.draft ? decisionView(T.draft, r.draft, 'draft') : null,
        ),
      );
    } catch (error) {
      statusLine.textContent = error.message;
      statusLine.classList.add('error');
    }
  });
  main.replaceChildren(el('h1', {}, T.title), el('p', { class: 'intro' }, T.intro), form, statusLine, results);
}

start().catch((error) => {
  statusLine.textContent = error.message;
  main.append(statusLine);
});
