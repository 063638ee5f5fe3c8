/**
 * Removes secret values from text before it leaves the process.
 *
 * Every secret from the config (tokens, client secrets, hash salts) is
 * registered once; any message, log line or error that could echo a request,
 * a URL or a config value goes through `redact`.
 */
export class Redactor {
  private secrets: string[] = [];

  add(secret: unknown): void {
    if (typeof secret !== 'string' || secret.length < 4) return;
    // Text already serialised as JSON holds the secret in its escaped form.
    for (const form of [secret, JSON.stringify(secret).slice(1, -1)]) {
      if (!this.secrets.includes(form)) this.secrets.push(form);
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join('**********');
    }
    return out;
  }
}
