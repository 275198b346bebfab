import { api, el } from './shell.js';
import { loginText as T } from './login-text.js';

export async function render(main) {
  document.title = `${T.title} · 民声`;
  const next = new URLSearchParams(location.search).get('next');
  const target = next && next.startsWith('/console') && !next.startsWith('//') ? next : '/console';
  // Already signed in: straight on.
  const me = await fetch('/api/console/me', { credentials: 'same-origin' }).catch(() => undefined);
  if (me?.ok) {
    location.replace(target);
    return;
  }
  const token = el('input', {
    id: 'token',
    type: 'password',
    name: 'token',
    autocomplete: 'current-password',
    required: true,
  });
  const error = el('p', { class: 'error', role: 'alert' });
  const button = el('button', { type: 'submit', class: 'primary', text: T.submit });
  const form = el(
    'form',
    { class: 'card login' },
    el('h1', { text: T.title }),
    el('p', { class: 'muted', text: T.hint }),
    el('label', { for: 'token', text: T.token }),
    token,
    error,
    button,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    button.disabled = true;
    button.textContent = T.signingIn;
    try {
      await api('/api/console/login', { method: 'POST', body: { token: token.value } });
      location.assign(target);
    } catch (e) {
      error.textContent = e.message;
      button.disabled = false;
      button.textContent = T.submit;
    }
  });
  main.replaceChildren(form);
  token.focus();
}
