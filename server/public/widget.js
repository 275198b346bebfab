/*
 * Minsheng (民声) web chat widget. Embed on any page:
 *   <script src="https://HOST/widget.js" async onload="MinshengChat.init({ target: '#chat' })"></script>
 * Options: target (selector or element; omitted = floating button), baseUrl (defaults to where
 * this script came from), title, suggestions (quick replies shown first).
 * WebSocket first, HTTP fallback; reconnects with backoff and re-syncs missed replies. A page
 * opened or reloaded later shows the session's recent conversation, both sides: the bot may be
 * waiting for an answer (a phone number for a work order) that the page would otherwise not show.
 */
(function () {
  'use strict';
  // Every sentence the widget shows, in one place.
  var TEXT = {
    title: '12345 政务服务便民热线 · 智能助手',
    subtitle: '政策咨询即时答复；无法解答的问题可直接登记工单。紧急情况请拨打 110 / 119 / 120 / 122。',
    greeting: '您好，我是12345热线智能助手。请直接输入您想咨询的问题；需要反映问题或投诉，也可以直接告诉我。',
    placeholder: '请输入您的问题，例如：社保卡丢了怎么办',
    inputLabel: '输入您的问题',
    send: '发送',
    logLabel: '对话记录',
    typing: '正在输入…',
    source: '来源：',
    me: '我：',
    bot: '助手：',
    offline: '连接已断开，正在重新连接…',
    failed: '网络或服务暂时不可用，请稍后再试，或拨打12345热线。',
    open: '在线咨询',
    close: '关闭',
    feedbackPrompt: '这个回答对您有帮助吗？',
    helpful: '有帮助',
    unhelpful: '没帮助',
    helpfulLabel: '这个回答有帮助',
    unhelpfulLabel: '这个回答没帮助',
    feedbackThanks: '感谢您的评价！',
    feedbackRecorded: '感谢反馈，我们会改进这条答复。',
    feedbackFailed: '评价未能提交，请稍后再试。',
    suggestions: ['社保卡丢了怎么补办', '公积金怎么提取', '我要投诉噪音扰民', '查询工单', '联系人工客服'],
  };
  var SESSION_KEY = 'minsheng.sessionId';
  var CSS =
    '.ms-chat{--ms-brand:#c8161d;--ms-me:#1f6feb;display:flex;flex-direction:column;height:100%;min-height:420px;background:#fff;color:#1d2129;font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;box-sizing:border-box}' +
    '.ms-chat *{box-sizing:border-box}.ms-chat header{background:var(--ms-brand);color:#fff;padding:12px 16px}.ms-chat header h1{margin:0;font-size:18px}.ms-chat header p{margin:4px 0 0;font-size:13px;opacity:.9}' +
    '.ms-log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:12px}' +
    '.ms-chat .msg{max-width:85%;padding:10px 12px;border-radius:10px;line-height:1.6;white-space:pre-wrap;word-break:break-word}' +
    '.ms-chat .bot{align-self:flex-start;background:#f0f2f5}.ms-chat .bot.emergency{background:#fff1f0;border:1px solid var(--ms-brand)}.ms-chat .bot.ticket,.ms-chat .bot.status{background:#f6ffed;border:1px solid #95de64}' +
    '.ms-chat .me{align-self:flex-end;background:var(--ms-me);color:#fff}.ms-chat .source{margin-top:6px;font-size:12px;color:#4e5969}' +
    '.ms-chat .choices{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}.ms-chat .choices button{border:1px solid var(--ms-brand);color:var(--ms-brand);background:#fff;border-radius:16px;padding:6px 12px;font-size:14px;cursor:pointer;text-align:left}' +
    '.ms-chat button:focus-visible,.ms-chat input:focus-visible{outline:3px solid #ffb300;outline-offset:1px}' +
    '.ms-chat form{display:flex;gap:8px;padding:12px;border-top:1px solid #e5e6eb}.ms-chat input{flex:1;min-width:0;font-size:16px;padding:10px;border:1px solid #c9cdd4;border-radius:8px}' +
    '.ms-chat .ms-send{font-size:16px;padding:0 18px;border:0;border-radius:8px;background:var(--ms-brand);color:#fff;cursor:pointer}.ms-chat .ms-send:disabled{opacity:.6}' +
    '.ms-chat .feedback{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-top:8px;font-size:13px;color:#4e5969}.ms-chat .feedback button{border:1px solid #c9cdd4;background:#fff;border-radius:14px;padding:3px 10px;font-size:13px;cursor:pointer}.ms-chat .feedback button[aria-pressed="true"]{background:#1d2129;color:#fff;border-color:#1d2129}' +
    '.ms-chat .typing{align-self:flex-start;color:#86909c;font-size:13px}.ms-chat .ms-status{font-size:12px;color:#86909c;text-align:center;padding:2px}' +
    '.ms-sr{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}' +
    '.ms-launcher{position:fixed;right:16px;bottom:16px;z-index:2147483000;background:#c8161d;color:#fff;border:0;border-radius:24px;padding:12px 18px;font-size:16px;cursor:pointer}' +
    '.ms-panel{position:fixed;right:16px;bottom:72px;z-index:2147483000;width:min(400px,calc(100vw - 32px));height:min(640px,calc(100vh - 96px));box-shadow:0 8px 24px rgba(0,0,0,.2);border-radius:12px;overflow:hidden}' +
    '@media (max-width:480px){.ms-panel{right:0;bottom:0;width:100vw;height:100dvh;border-radius:0}}';

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, attrs[k]);
    });
    if (text != null) node.textContent = text; // never innerHTML: answers and input are shown as text
    return node;
  }

  function sessionId() {
    var id = null;
    try {
      id = localStorage.getItem(SESSION_KEY);
    } catch {
      // storage can be disabled (private mode, policy): the session lasts as long as the page
    }
    if (!id || !/^[A-Za-z0-9_-]{8,128}$/.test(id)) {
      id = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(36).slice(2)).replace(
        /[^A-Za-z0-9_-]/g,
        '',
      );
      try {
        localStorage.setItem(SESSION_KEY, id);
      } catch {
        // storage can be disabled (private mode, policy): the session lasts as long as the page
      }
    }
    return id;
  }

  function scriptBase() {
    var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
    return script && script.src ? new URL('.', script.src).href.replace(/\/$/, '') : location.origin;
  }
  var defaultBase = scriptBase();

  function init(options) {
    options = options || {};
    var base = (options.baseUrl || defaultBase).replace(/\/$/, '');
    if (!document.getElementById('ms-chat-style')) {
      var style = el('style', { id: 'ms-chat-style' });
      style.textContent = CSS;
      document.head.appendChild(style);
    }
    var host = typeof options.target === 'string' ? document.querySelector(options.target) : options.target;
    if (!host) {
      var launcher = el('button', { type: 'button', class: 'ms-launcher', 'aria-expanded': 'false' }, TEXT.open);
      host = el('div', { class: 'ms-panel', hidden: '' });
      launcher.addEventListener('click', function () {
        var open = host.hasAttribute('hidden');
        if (open) host.removeAttribute('hidden');
        else host.setAttribute('hidden', '');
        launcher.setAttribute('aria-expanded', String(open));
        launcher.textContent = open ? TEXT.close : TEXT.open;
        if (open) input.focus();
      });
      document.body.appendChild(host);
      document.body.appendChild(launcher);
    }

    var root = el('section', { class: 'ms-chat', 'aria-label': options.title || TEXT.title });
    var header = el('header');
    header.appendChild(el('h1', {}, options.title || TEXT.title));
    header.appendChild(el('p', {}, TEXT.subtitle));
    var log = el('div', { class: 'ms-log', role: 'log', 'aria-live': 'polite', 'aria-label': TEXT.logLabel });
    var status = el('div', { class: 'ms-status', role: 'status' });
    var form = el('form', { autocomplete: 'off' });
    var inputId = 'ms-input-' + Math.random().toString(36).slice(2, 8);
    var input = el('input', { id: inputId, maxlength: '2000', placeholder: TEXT.placeholder, required: '' });
    var send = el('button', { type: 'submit', class: 'ms-send' }, TEXT.send);
    form.appendChild(el('label', { for: inputId, class: 'ms-sr' }, TEXT.inputLabel));
    form.appendChild(input);
    form.appendChild(send);
    [header, log, status, form].forEach(function (n) {
      root.appendChild(n);
    });
    host.appendChild(root);

    var sid = sessionId();
    // What this page has shown of the session's sequence; a new page starts at 0 and is sent the history.
    var sync = { epoch: null, lastSeq: 0 };
    // Messages this page sent whose replies have not come yet: the history echoes them, already shown.
    var pending = [];
    var typingNode = null;

    function remember(epoch, seq) {
      if (epoch !== sync.epoch) sync = { epoch: epoch, lastSeq: 0 };
      if (seq > sync.lastSeq) sync.lastSeq = seq;
    }

    function bubble(cls, text, who) {
      var div = el('div', { class: 'msg ' + cls });
      div.appendChild(el('span', { class: 'ms-sr' }, who));
      div.appendChild(document.createTextNode(text));
      log.insertBefore(div, typingNode && typingNode.parentNode === log ? typingNode : null);
      log.scrollTop = log.scrollHeight;
      return div;
    }

    function showReply(r) {
      var div = bubble('bot ' + r.kind, r.text, TEXT.bot);
      div.setAttribute('data-kind', r.kind);
      if (r.sources && r.sources.length) {
        div.appendChild(
          el(
            'div',
            { class: 'source' },
            TEXT.source +
              r.sources
                .map(function (s) {
                  return s.question; // the entry's id is for staff, not citizens
                })
                .join('；'),
          ),
        );
      }
      if (r.kind === 'answer' && r.sources && r.sources.length) div.appendChild(feedback(r.sources[0].id));
      if (r.choices && r.choices.length) {
        var box = el('div', { class: 'choices' });
        r.choices.forEach(function (choice) {
          var b = el('button', { type: 'button' }, choice);
          b.addEventListener('click', function () {
            ask(choice);
          });
          box.appendChild(b);
        });
        div.appendChild(box);
      }
      // The choices and feedback buttons came after the bubble was scrolled to: show them too.
      log.scrollTop = log.scrollHeight;
    }

    // 有帮助 / 没帮助 under an answer: one rating per answer, a second click changes it.
    function feedback(entryId) {
      var box = el('div', { class: 'feedback', role: 'group', 'aria-label': TEXT.feedbackPrompt });
      var note = el('span', { role: 'status' });
      box.appendChild(el('span', {}, TEXT.feedbackPrompt));
      var buttons = [
        [true, TEXT.helpful, TEXT.helpfulLabel],
        [false, TEXT.unhelpful, TEXT.unhelpfulLabel],
      ].map(function (spec) {
        var b = el(
          'button',
          { type: 'button', 'aria-pressed': 'false', 'aria-label': spec[2], 'data-helpful': String(spec[0]) },
          spec[1],
        );
        b.addEventListener('click', function () {
          fetch(base + '/api/chat/feedback', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ sessionId: sid, entryId: entryId, helpful: spec[0] }),
          })
            .then(function (res) {
              if (!res.ok) throw new Error(String(res.status));
              buttons.forEach(function (other) {
                other.setAttribute('aria-pressed', String(other === b));
              });
              note.textContent = spec[0] ? TEXT.feedbackThanks : TEXT.feedbackRecorded;
            })
            .catch(function () {
              note.textContent = TEXT.feedbackFailed;
            });
        });
        box.appendChild(b);
        return b;
      });
      box.appendChild(note);
      return box;
    }

    // item: { seq, reply } or { seq, said } (the citizen's message, from this session's history)
    function showSequenced(item, epoch) {
      if (epoch === sync.epoch && item.seq <= sync.lastSeq) return; // already shown
      remember(epoch, item.seq);
      if (item.reply) {
        pending = [];
        showReply(item.reply);
        return;
      }
      var mine = pending.indexOf(item.said);
      if (mine >= 0) pending.splice(mine, 1);
      else bubble('me', item.said, TEXT.me);
    }

    function setTyping(on) {
      if (on && !typingNode) {
        typingNode = el('div', { class: 'typing', 'aria-hidden': 'true' }, TEXT.typing);
        log.appendChild(typingNode);
        log.scrollTop = log.scrollHeight;
      } else if (!on && typingNode) {
        typingNode.remove();
        typingNode = null;
      }
    }

    // WebSocket with reconnect and backoff; HTTP while it is down.
    var socket = null;
    var ready = false;
    var attempts = 0;
    var epochNow = null;
    function connect() {
      if (!window.WebSocket) return syncOverHttp();
      var url = base.replace(/^http/, 'ws') + '/api/chat/ws';
      try {
        socket = new WebSocket(url);
      } catch {
        return retry();
      }
      socket.onopen = function () {
        socket.send(
          JSON.stringify({ type: 'hello', sessionId: sid, epoch: sync.epoch || undefined, lastSeq: sync.lastSeq }),
        );
      };
      socket.onmessage = function (event) {
        var frame;
        try {
          frame = JSON.parse(event.data);
        } catch {
          return;
        }
        if (frame.type === 'ready') {
          ready = true;
          attempts = 0;
          epochNow = frame.epoch;
          if (frame.epoch !== sync.epoch) remember(frame.epoch, 0);
          status.textContent = '';
          root.setAttribute('data-transport', 'websocket');
        } else if (frame.type === 'reply') {
          showSequenced(frame, epochNow);
        } else if (frame.type === 'said') {
          showSequenced({ seq: frame.seq, said: frame.text }, epochNow);
        } else if (frame.type === 'typing') {
          setTyping(frame.on);
          send.disabled = frame.on;
        } else if (frame.type === 'error') {
          setTyping(false);
          send.disabled = false;
          bubble('bot fallback', TEXT.failed, TEXT.bot);
        }
      };
      socket.onclose = function () {
        var wasReady = ready;
        ready = false;
        socket = null;
        root.setAttribute('data-transport', 'http');
        if (wasReady) status.textContent = TEXT.offline;
        setTyping(false);
        send.disabled = false;
        retry();
      };
    }
    function retry() {
      attempts += 1;
      var delay = Math.min(30000, 500 * Math.pow(2, attempts)) * (0.5 + Math.random() / 2);
      setTimeout(connect, delay);
    }

    // One request at a time: two quick clicks would otherwise be answered out of order.
    var httpTurns = Promise.resolve();
    function askOverHttp(text) {
      httpTurns = httpTurns.then(function () {
        return askOverHttpNow(text);
      });
      return httpTurns;
    }
    function askOverHttpNow(text) {
      send.disabled = true;
      setTyping(true);
      return fetch(base + '/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId: sid, text: text }),
      })
        .then(function (res) {
          return res.json().then(function (body) {
            if (!res.ok) throw new Error(body && body.error ? body.error.message : res.statusText);
            return body;
          });
        })
        .then(function (body) {
          setTyping(false);
          status.textContent = ''; // answered: the page is not offline, whatever the WebSocket does
          if (body.epoch && body.lastSeq) {
            var first = body.lastSeq - body.replies.length + 1;
            body.replies.forEach(function (r, i) {
              showSequenced({ seq: first + i, reply: r }, body.epoch);
            });
          } else body.replies.forEach(showReply);
        })
        .catch(function () {
          setTyping(false);
          bubble('bot fallback', TEXT.failed, TEXT.bot);
        })
        .then(function () {
          send.disabled = false;
          input.focus();
        });
    }

    // While the WebSocket is down, pushes are fetched now and then (and the history at once, when
    // the page has no WebSocket at all).
    function syncOverHttp() {
      fetch(
        base +
          '/api/chat/sync?' +
          new URLSearchParams({ sessionId: sid, after: String(sync.lastSeq), epoch: sync.epoch || '' }),
      )
        .then(function (res) {
          return res.ok ? res.json() : null;
        })
        .then(function (body) {
          if (!body) return;
          body.replies
            .concat(
              (body.said || []).map(function (m) {
                return { seq: m.seq, said: m.text };
              }),
            )
            .sort(function (a, b) {
              return a.seq - b.seq;
            })
            .forEach(function (item) {
              showSequenced(item, body.epoch);
            });
        })
        .catch(function () {});
    }
    setInterval(function () {
      if (!ready) syncOverHttp();
    }, 15000);

    function ask(text) {
      bubble('me', text, TEXT.me);
      pending.push(text);
      if (ready && socket) socket.send(JSON.stringify({ type: 'message', text: text }));
      else askOverHttp(text);
    }

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = '';
      ask(text);
    });

    showReply({ kind: 'chitchat', text: TEXT.greeting, sources: [], choices: options.suggestions || TEXT.suggestions });
    connect();
    if (options.target) input.focus();
    return { sessionId: sid, ask: ask };
  }

  window.MinshengChat = { init: init };
})();
