/**
 * Hostile SMS for the XSS tests (xss.api.spec.ts, xss.ui.spec.ts): markup, event handlers, dangerous URL
 * schemes, SVG and MathML, CSS, template syntax, entity and escape tricks, direction overrides and invisible
 * characters, and text that tries to break out of the event stream's framing. Every one calls alert() if it
 * ever runs, so a dialog is proof of injection.
 */
export const HOSTILE_TEXTS: string[] = [
  "<script>alert(1)</script>",
  "Code 4821 <img src=x onerror=alert(1)>",
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">tap</text></a></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<a href="javascript:alert(1)">Tap to verify</a>',
  "javascript:alert(1)",
  "JaVaScRiPt:alert(document.domain)",
  "java\u200Bscript:alert(1)",
  "vbscript:msgbox(1)",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  '<object data="data:text/html,<script>alert(1)</script>"></object>',
  '<embed src="data:image/svg+xml,<svg onload=alert(1)>">',
  "<style>body{display:none}</style>",
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '"><script>alert(1)</script>',
  "'-alert(1)-'",
  "</p><img src=x onerror=alert(1)><p>",
  "</textarea></title></style><script>alert(1)</script>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "<details open ontoggle=alert(1)>",
  "<body onload=alert(1)>",
  "<input autofocus onfocus=alert(1)>",
  "<video><source onerror=alert(1)></video>",
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  "<!--<img src=x onerror=alert(1)>-->",
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<form action="https://evil.example"><button>Verify</button></form>',
  "{{constructor.constructor('alert(1)')()}}",
  "${alert(1)}",
  "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#60;b&#62;",
  "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
  "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
  "\uFF1Cscript\uFF1Ealert(1)\uFF1C/script\uFF1E",
  "Your code is 55123 \u202Egnp.exe\u202C do not share",
  "Open https://example.com/\u202Egpj.exe",
  "Verify at https://\u0430pple.com/id (look-alike a)",
  "Log in: https://google.com@evil.example/login",
  '<a href="https://example.com" onclick="alert(1)">x</a>',
  'line one\n\nevent: message\nid: 999999999\ndata: {"id":999999999,"text":"forged"}\n\n',
  "carriage\r\rdata: forged\r\n\r\nretry: 1",
  '{"__proto__":{"polluted":true}}',
  "Safe link: https://example.com/login?code=7391. Thanks!",
];

/** Senders: at most 32 printable characters, no surrounding spaces (they are trimmed, and kept otherwise). */
export const HOSTILE_SENDERS: string[] = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "<svg onload=alert(1)>",
  "javascript:alert(1)",
  '"><b>x</b>',
  "\u202Ekcabtset",
  "<style>*{color:red}</style>",
  "data:text/html,<b>x",
  "{{7*7}}",
  "&lt;b&gt;",
  "' onmouseover='alert(1)",
  "<a href=//evil.example>x</a>",
];

/** The battery as messages to one number: each text with a sender, every sender used. */
export function hostileMessages(to: string, tag: string) {
  return HOSTILE_TEXTS.map((text, i) => ({
    to,
    from: HOSTILE_SENDERS[i % HOSTILE_SENDERS.length]!,
    text,
    id: `${tag}-${i}`,
  }));
}
