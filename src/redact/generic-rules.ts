import type { AllowlistDefinition, RuleDefinition } from './rule-set.ts';

// Our rules for what gitleaks misses in logs. gitleaks scans source files for tokens with
// a known shape; logs also carry credentials in a known *place* (a password= pair, an
// Authorization header, a URL's userinfo, a PEM block cut by a log tail) and the keys of
// the LLM providers GopherGuard itself uses. Same shape as gitleaks' TOML and compiled the
// same way (re2js: RE2 syntax, linear time, no lookaround or backreferences).

const NEWLINE = String.raw`(?:\r?\n|\\r?\\n)`; // a real newline, or one escaped inside a JSON string
const PEM_LABEL = String.raw`[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----`;

// Values that only stand for a secret: masks, empty JSON values, template references and
// our own markers (so redacting twice changes nothing).
const PLACEHOLDER_VALUES: AllowlistDefinition = {
  regexes: [String.raw`^(?:\*+|x{3,}|X{3,}|\.{3,}|null|nil|none|undefined|true|false|<[^>]*>|\$\{?[\w.]+\}?|\$\([\w.]+\)|\{\{[^}]*\}\}|%[\w.]+%|\[REDACTED[^\]]*\]?)$`],
};

// Words that follow "DB_PASSWORD:" in an error message rather than a password ("not set",
// "unexpected field"). A password that is one of them is lost to nobody.
const STATUS_WORDS: AllowlistDefinition = {
  regexes: [String.raw`(?i)^(?:not|unset|missing|empty|required|invalid|unexpected|expired|revoked|set|ok|yes|no|error|failed|denied|forbidden|unauthorized|present|absent|redacted|hidden|masked|changed|updated|rotated|configured|provided|disabled|enabled|found|loaded|ignored|refreshed|renewed|mounted|default|unknown)$`],
};

export const GENERIC_RULES: RuleDefinition[] = [
  {
    id: 'private-key-block',
    description: 'A PEM private key block; without its END line (a log cut short), the base64 lines that follow BEGIN.',
    regex: String.raw`(?i)-----BEGIN${PEM_LABEL}(?:[\s\S]*?-----END${PEM_LABEL}|(?:${NEWLINE}(?:[A-Za-z0-9+/=]{4,}|(?:Proc-Type|DEK-Info|Comment):[^\r\n\\]*))*)`,
    keywords: ['-----begin'],
    multiline: true,
  },
  {
    id: 'private-key-tail',
    description: 'The end of a PEM private key whose BEGIN line was cut off by a log tail or a block boundary.',
    // Anchored at line starts (a cut-off body starts a line), which keeps the NFA from
    // starting a thread at every character of a block.
    regex: String.raw`(?im)^(?:[A-Za-z0-9+/=]{4,}\r?\n)+[A-Za-z0-9+/=]*-----END${PEM_LABEL}`,
    keywords: ['-----end'],
    multiline: true,
  },
  {
    id: 'pem-body-lines',
    description: 'Two or more lines of exactly 64 base64 characters: the body of a PEM block whose BEGIN and END lines are both out of reach.',
    regex: String.raw`(?m)(?:^[A-Za-z0-9+/]{64}\r?\n){2,}(?:[A-Za-z0-9+/]{1,63}={0,2}\r?$)?`,
    multiline: true,
  },
  {
    id: 'url-credentials',
    description: 'The password in a URL userinfo: scheme://user:password@host (databases, brokers, git remotes).',
    // '#' is allowed in the password: people paste unencoded ones, and a fragment cannot precede '@'.
    regex: String.raw`(?i)\b[a-z][a-z0-9+.-]{0,30}://[^\s:/?#@"'<>\x60]*:([^\s/?@"'<>\x60]+)@[^\s/?#@"'<>\x60]`,
    secretGroup: 1,
    keywords: ['://'],
    allowlists: [PLACEHOLDER_VALUES],
  },
  {
    id: 'dsn-credentials',
    description: "The password in a Go MySQL style DSN: user:password@tcp(host:3306)/db.",
    regex: String.raw`(?i)[\w.-]+:([^\s@/:"']+)@(?:tcp|tcp6|unix|udp)\(`,
    secretGroup: 1,
    keywords: ['@tcp(', '@tcp6(', '@unix(', '@udp('],
    allowlists: [PLACEHOLDER_VALUES],
  },
  {
    id: 'password-assignment',
    description: 'A value assigned to a key that names a credential: password=..., "client_secret": "...", token: ...',
    regex: String.raw`(?i)[\w.-]*(?:passw(?:or)?d|passwd|\bpwd|passphrase|secret|token|api[_.-]?key|apikey|access[_.-]?key|account[_.-]?key|private[_.-]?key|shared[_.-]?access[_.-]?(?:key|signature)|signing[_.-]?key|encryption[_.-]?key|credentials?|session[_.-]?id|security[_.-]?token|x-amz-signature)[\w.-]*["']?[ \t]*(?:=|:=|=>|:)[ \t]*(?:"([^"\r\n]+)"|'([^'\r\n]+)'|([^\s"'\x60,;&)\]}]{3,}))`,
    multiline: false,
    keywords: ['pass', 'pwd', 'secret', 'token', 'key', 'credential', 'session', 'x-amz-signature'],
    allowlists: [
      PLACEHOLDER_VALUES,
      STATUS_WORDS,
      {
        description: 'Keys that name something about a credential rather than the credential itself.',
        regexTarget: 'match',
        regexes: [String.raw`(?i)^[\w.-]*(?:tokens|token[_.-]?(?:count|type|ttl|expir\w*|length|limit|usage|url|uri|endpoint|file|path|bucket)|(?:secret|key)[_.-]?(?:name|ref|length|size|version|file|path|id)|password[_.-]?(?:reset|policy|length|changed|expir\w*|file|path)|secret[_.-]?(?:store|volume))["']?[ \t]*(?:=|:=|=>|:)`],
      },
    ],
  },
  {
    id: 'authorization-header',
    description: 'The credential in an Authorization header, whatever its scheme.',
    // The optional bracket is Go's map[Authorization:[Basic …]] in dumped headers.
    regex: String.raw`(?i)\b(?:proxy-)?authorization["']?[ \t]*[:=][ \t]*["'\[({]?(?:(?:bearer|basic|token|bot|digest|negotiate|ntlm|apikey|api-key|sso-key|splunk|hmac[\w-]*|aws4-hmac-sha256)[ \t]+)?([^\s"',;\]})>]{6,})`,
    secretGroup: 1,
    keywords: ['authorization'],
    allowlists: [PLACEHOLDER_VALUES, STATUS_WORDS],
  },
  {
    id: 'bearer-token',
    description: 'A bearer token anywhere, e.g. in a curl command line or an error message.',
    regex: String.raw`(?i)\bbearer[ \t]+([A-Za-z0-9._~+/=-]{12,})`,
    secretGroup: 1,
    keywords: ['bearer'],
    allowlists: [PLACEHOLDER_VALUES],
  },
  {
    id: 'credential-header',
    description: 'API-key, token and cookie headers: X-Api-Key, Private-Token, X-Vault-Token, Cookie, Set-Cookie.',
    regex: String.raw`(?i)\b(?:x-[\w-]*(?:api-?key|token|secret|auth)[\w-]*|api-?key|private-token|cookie|set-cookie)["']?[ \t]*:[ \t]*["'\[]?([^\s"',;\]})>]{8,})`,
    secretGroup: 1,
    keywords: ['x-', 'api-key', 'apikey', 'private-token', 'cookie'],
    allowlists: [PLACEHOLDER_VALUES, STATUS_WORDS],
  },
  {
    id: 'url-signature',
    description: 'The signature of a pre-signed URL (Azure SAS sig=, Google X-Goog-Signature=).',
    regex: String.raw`(?i)[?&](?:sig|x-goog-signature|signature)=([^\s&"'<>]{8,})`,
    secretGroup: 1,
    keywords: ['sig=', 'signature='],
  },
  {
    id: 'docker-config-auth',
    description: 'Registry credentials in a Docker config.json: "auth", "identitytoken", "registrytoken".',
    regex: String.raw`(?i)\\?"(?:auth|identitytoken|registrytoken)\\?"[ \t]*:[ \t]*\\?"([^"\\]{4,})\\?"`,
    secretGroup: 1,
    keywords: ['"auth', '"identitytoken', '"registrytoken'],
    allowlists: [PLACEHOLDER_VALUES],
  },
  {
    id: 'groq-api-key',
    description: 'A Groq API key (gsk_), which gitleaks has no rule for.',
    regex: String.raw`\b(gsk_[A-Za-z0-9]{52})\b`,
    keywords: ['gsk_'],
  },
  {
    id: 'xai-api-key',
    description: 'An xAI API key (xai-), which gitleaks has no rule for.',
    regex: String.raw`\b(xai-[A-Za-z0-9]{80})\b`,
    keywords: ['xai-'],
  },
  {
    id: 'openai-project-key',
    description: "An OpenAI project, service-account or admin key; gitleaks' rule misses those ending in '-'.",
    regex: String.raw`\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}`,
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-'],
  },
  {
    id: 'vault-token',
    description: "A HashiCorp Vault service, batch or recovery token; gitleaks' allowlist for legacy s. tokens also drops hvs. tokens that start with 24 letters.",
    regex: String.raw`\bhv[sbr]\.[\w-]{24,}`,
    keywords: ['hvs.', 'hvb.', 'hvr.'],
  },
  {
    id: 'curl-user-password',
    description: "The password of curl -u user:password, with the punctuation gitleaks' curl-auth-user leaves out.",
    regex: String.raw`(?i)\bcurl\b[^\r\n]*?[ \t](?:-u|--user|--proxy-user|-U)(?:=|[ \t]+)["']?[^\s:"']*:([^\s"']+)`,
    secretGroup: 1,
    keywords: ['curl'],
    allowlists: [PLACEHOLDER_VALUES],
    multiline: false,
  },
  {
    id: 'jwt-token',
    description: "A JSON Web Token, also unsigned (alg none) and with URL-safe characters gitleaks' jwt rule leaves out.",
    regex: String.raw`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`,
    keywords: ['eyj'],
  },
  {
    id: 'discord-webhook-url',
    description: 'The token of a Discord webhook URL.',
    regex: String.raw`(?i)https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/([A-Za-z0-9_-]{20,})`,
    secretGroup: 1,
    keywords: ['discord'],
  },
  {
    id: 'telegram-bot-url',
    description: 'A Telegram bot token in an API URL (api.telegram.org/bot<id>:<secret>).',
    regex: String.raw`(?i)/bot(\d{5,16}:[A-Za-z0-9_-]{30,})`,
    secretGroup: 1,
    keywords: ['/bot'],
  },
];
