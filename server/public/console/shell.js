// The console shell shared by every console page: API calls with the session cookie, safe DOM
// building (text only, never innerHTML with data) and the navigation bar.
// A page: <script type="module" src="/console/mypage.js"></script>, then
//   import { mountShell, api, el } from '/console/shell.js';
//   const user = await mountShell('inbox'); // redirects to the login page without a session
import { shellText as T } from './shell-text.js';

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

function toLogin() {
  // Lets a page keep what the user typed (the entry editor stashes it) before the login page replaces it.
  window.dispatchEvent(new Event('console:session-expired'));
  const next = location.pathname + location.search;
  location.assign(`/console/login?next=${encodeURIComponent(next)}`);
}

/** fetch() for the console APIs: JSON in and out; 401 sends the user to the login page. */
export async function api(path, { method = 'GET', body, headers = {}, raw = false } = {}) {
  const init = { method, credentials: 'same-origin', headers: { ...headers } };
  if (body instanceof Blob || body instanceof ArrayBuffer) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'NETWORK', T.networkError);
  }
  if (response.status === 401 && !path.startsWith('/api/console/login')) {
    toLogin();
    throw new ApiError(401, 'UNAUTHORIZED', T.sessionExpired);
  }
  if (!response.ok) {
    const data = await response.json().catch(() => ({}));
    throw new ApiError(
      response.status,
      data.error?.code,
      data.error?.message ?? `HTTP ${response.status}`,
      data.error?.details,
    );
  }
  return raw ? response : response.json();
}

/** Builds an element; strings among children become text nodes, so data is never parsed as HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'value') node.value = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const navItems = [
  ['entries', '/console'],
  ['import', '/console/import'],
  ['inbox', '/console/inbox'],
  ['health', '/console/health'],
  ['try', '/console/try'],
  ['synonyms', '/console/synonyms'],
];

/** Renders the header and navigation into <header id="shell"> (created when missing); resolves to the user. */
export async function mountShell(active) {
  const user = await api('/api/console/me');
  let header = document.getElementById('shell');
  if (!header) {
    header = el('header', { id: 'shell' });
    document.body.prepend(header);
  }
  header.className = 'shell';
  const logout = el('button', { type: 'button', class: 'link', text: T.logout });
  logout.addEventListener('click', async () => {
    await api('/api/console/logout', { method: 'POST' }).catch(() => {});
    location.assign('/console/login');
  });
  header.replaceChildren(
    el('a', { class: 'brand', href: '/console', text: T.product }),
    el(
      'nav',
      { 'aria-label': T.product },
      navItems.map(([key, href]) =>
        el('a', { href, 'aria-current': key === active ? 'page' : undefined, text: T.nav[key] }),
      ),
    ),
    el('span', { class: 'user', 'data-role': user.role }, `${user.name}（${T.roles[user.role] ?? user.role}）`),
    logout,
  );
  document.body.dataset.role = user.role;
  document.body.dataset.timeZone = user.timeZone;
  return user;
}
