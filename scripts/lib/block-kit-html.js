// Renders Slack Block Kit to HTML styled like Slack's message view, for the docs' previews.
// It knows the subset the Slack module uses (header, section with text and fields, context,
// divider, actions with buttons; mrkdwn with *bold*, _italic_, ~strike~, `code`, links, dates
// and a few emoji) and throws on anything else, so that a preview never silently drops content.

/** Emoji the module uses, drawn without an emoji font: shortcode → [glyph, colour]. */
const EMOJI = {
  white_check_mark: ['✓', '#2eb67d'],
  x: ['✕', '#e01e5a'],
  grey_exclamation: ['!', '#868686'],
};

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

function fail(message) {
  throw new Error(`Block Kit preview: ${message}`);
}

/** Throws when `object` has a key the renderer does not show. */
function only(object, keys, what) {
  for (const key of Object.keys(object)) {
    if (!keys.includes(key))
      fail(`${what} has "${key}", which is not rendered`);
  }
}

const attribute = text =>
  String(text)
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');

function emoji(name) {
  const known = EMOJI[name];
  if (!known) fail(`no preview for the emoji :${name}:`);
  const [glyph, colour] = known;
  return `<span class="emoji" style="background:${colour}">${glyph}</span>`;
}

/** Slack's date tokens, in UTC, with "today" / "tomorrow" / "yesterday" relative to `now`. */
function slackDate(epoch, format, now) {
  const at = new Date(epoch * 1000);
  const day = d =>
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const short = `${
    MONTHS[at.getUTCMonth()]
  } ${at.getUTCDate()}, ${at.getUTCFullYear()}`;
  const tokens = {
    date_short: () => short,
    date_short_pretty: () =>
      ({ 0: 'today', 1: 'tomorrow', [-1]: 'yesterday' }[
        (day(at) - day(now)) / 86400000
      ] ?? short),
    time: () => {
      const hours = at.getUTCHours();
      const minutes = String(at.getUTCMinutes()).padStart(2, '0');
      return `${hours % 12 || 12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
    },
  };
  return format.replace(/\{(\w+)\}/g, (_, token) => {
    if (!tokens[token]) fail(`no preview for the date token {${token}}`);
    return tokens[token]();
  });
}

/** One `<...>` of mrkdwn: a link, or a date. Its text is already escaped by the sender. */
function control(inner, now) {
  const [target, label] = inner.split('|');
  const date = /^!date\^(\d+)\^([^^]+)(?:\^.*)?$/.exec(target);
  if (date) return slackDate(Number(date[1]), date[2], now);
  if (!/^(https?|mailto):/.test(target)) fail(`no preview for <${inner}>`);
  const href = target.replace(/&amp;/g, '&');
  return `<a href="${attribute(href)}">${inline(label ?? target, now)}</a>`;
}

/**
 * Bold, italic, strike and emoji of mrkdwn text that is already escaped (Slack's escaping of
 * &, < and > is HTML's), so it goes into the page as it is.
 */
function inline(text, now) {
  const edge = '(^|[\\s(>\\u0000])';
  const end = '(?=$|[\\s.,;:!?)<\\u0000])';
  const style = (mark, tag) => s =>
    s.replace(
      new RegExp(`${edge}\\${mark}([^${mark}\\n]+)\\${mark}${end}`, 'g'),
      `$1<${tag}>$2</${tag}>`,
    );
  return [style('*', 'b'), style('_', 'i'), style('~', 's')].reduce(
    (s, apply) => apply(s),
    text.replace(/:([a-z][a-z0-9_+-]*):/g, (_, name) => emoji(name)),
  );
}

/** Slack mrkdwn → HTML. Code spans and `<...>` are set aside first so nothing formats them. */
function mrkdwn(text, now) {
  const kept = [];
  const keep = html => `\u0000${kept.push(html) - 1}\u0000`;
  const shielded = text
    .replace(/`([^`\n]+)`/g, (_, code) => keep(`<code>${code}</code>`))
    .replace(/<([^>\n]+)>/g, (_, inner) => keep(control(inner, now)));
  return inline(shielded, now)
    .replace(/\u0000(\d+)\u0000/g, (_, i) => kept[Number(i)])
    .replace(/\n/g, '<br>');
}

/** A text object: mrkdwn, or plain_text (escaped here, with its emoji). */
function textObject(object, now, what) {
  if (object.type === 'mrkdwn') {
    only(object, ['type', 'text', 'verbatim'], what);
    return mrkdwn(object.text, now);
  }
  if (object.type === 'plain_text') {
    only(object, ['type', 'text', 'emoji'], what);
    const escaped = attribute(object.text);
    return object.emoji === false
      ? escaped
      : escaped.replace(/:([a-z][a-z0-9_+-]*):/g, (_, name) => emoji(name));
  }
  return fail(`${what} is a "${object.type}" text object`);
}

function button(element, now, what) {
  if (element.type !== 'button') fail(`${what} is a "${element.type}"`);
  only(element, ['type', 'action_id', 'text', 'value', 'url', 'style'], what);
  if (element.style && !['primary', 'danger'].includes(element.style)) {
    fail(`${what} has the style "${element.style}"`);
  }
  const style = element.style ? ` ${element.style}` : '';
  return `<span class="button${style}">${textObject(
    element.text,
    now,
    what,
  )}</span>`;
}

function block(b, now, i) {
  const what = `block ${i} (${b.type})`;
  switch (b.type) {
    case 'header':
      only(b, ['type', 'block_id', 'text'], what);
      return `<div class="header">${textObject(b.text, now, what)}</div>`;
    case 'section': {
      only(b, ['type', 'block_id', 'text', 'fields'], what);
      if (!b.text && !b.fields) fail(`${what} has neither text nor fields`);
      const text = b.text
        ? `<div class="text">${textObject(b.text, now, what)}</div>`
        : '';
      const fields = b.fields
        ? `<div class="fields">${b.fields
            .map(
              (f, j) =>
                `<div>${textObject(f, now, `${what} field ${j}`)}</div>`,
            )
            .join('')}</div>`
        : '';
      return `<div class="section">${text}${fields}</div>`;
    }
    case 'context':
      only(b, ['type', 'block_id', 'elements'], what);
      return `<div class="context">${b.elements
        .map(
          (e, j) =>
            `<span>${textObject(e, now, `${what} element ${j}`)}</span>`,
        )
        .join('')}</div>`;
    case 'divider':
      only(b, ['type', 'block_id'], what);
      return '<hr class="divider">';
    case 'actions':
      only(b, ['type', 'block_id', 'elements'], what);
      return `<div class="actions">${b.elements
        .map((e, j) => button(e, now, `${what} element ${j}`))
        .join('')}</div>`;
    default:
      return fail(`${what} is not a block type the preview knows`);
  }
}

const STYLE = `
  body { margin: 0; background: #fff; }
  .message { display: flex; gap: 8px; width: 560px; padding: 12px 20px 16px; box-sizing: border-box;
    font: 15px/1.46668 Lato, 'Helvetica Neue', Helvetica, 'Segoe UI', Arial, sans-serif;
    color: #1d1c1d; -webkit-font-smoothing: antialiased; }
  .avatar { flex: none; width: 36px; height: 36px; border-radius: 6px; background: #1f2937;
    color: #fff; font-weight: 700; font-size: 15px; display: flex; align-items: center;
    justify-content: center; margin-top: 4px; }
  .body { flex: 1; min-width: 0; }
  .meta { display: flex; align-items: baseline; gap: 6px; }
  .meta .name { font-weight: 900; }
  .meta .app { font-size: 10px; font-weight: 700; color: rgba(29,28,29,.7);
    background: rgba(29,28,29,.13); border-radius: 2px; padding: 1px 3px; }
  .meta .time { font-size: 12px; color: #616061; }
  .header { font-size: 18px; font-weight: 900; line-height: 1.33; margin: 4px 0; }
  .section { margin: 4px 0; }
  .fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; margin-top: 8px; }
  .text + .fields { margin-top: 8px; }
  .section > .fields:first-child { margin-top: 0; }
  .context { font-size: 13px; color: #616061; margin: 4px 0; display: flex; gap: 8px; }
  .divider { border: 0; border-top: 1px solid #dddddd; margin: 12px 0; }
  .actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 4px; }
  b { font-weight: 900; }
  a { color: #1264a3; text-decoration: none; }
  code { font: 12px/1.5 Monaco, Menlo, Consolas, 'Courier New', monospace; color: #e01e5a;
    background: rgba(29,28,29,.04); border: 1px solid rgba(29,28,29,.13); border-radius: 3px;
    padding: 2px 3px 1px; }
  .emoji { display: inline-flex; width: 18px; height: 18px; border-radius: 4px; color: #fff;
    font-size: 13px; font-weight: 900; align-items: center; justify-content: center;
    vertical-align: -3px; }
  .button { display: inline-flex; align-items: center; height: 28px; padding: 0 12px;
    font-size: 13px; font-weight: 700; border: 1px solid rgba(29,28,29,.3); border-radius: 4px;
    background: #fff; color: #1d1c1d; box-sizing: border-box; }
  .button.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
  .button.danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
`;

/**
 * A whole message as a page: the app's avatar, name and time, then its blocks. `now` is the
 * moment the reader looks at it (for "today" and "tomorrow" in dates).
 */
function messageHtml({ appName, postedAt, blocks, now }) {
  const initials = appName
    .split(/\s+/)
    .map(word => word[0])
    .join('')
    .slice(0, 2);
  const time = slackDate(Date.parse(postedAt) / 1000, '{time}', now);
  return `<!doctype html><html><head><meta charset="utf-8"><style>${STYLE}</style></head>
<body><div class="message">
<div class="avatar">${attribute(initials)}</div>
<div class="body">
<div class="meta"><span class="name">${attribute(
    appName,
  )}</span><span class="app">APP</span><span class="time">${time}</span></div>
${blocks.map((b, i) => block(b, now, i)).join('\n')}
</div></div></body></html>`;
}

module.exports = { messageHtml, mrkdwn };
