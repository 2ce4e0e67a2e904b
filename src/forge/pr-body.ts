const NOTE = '\n\n… (cut: longer than this forge allows)';

/** Forges refuse over-long bodies (GitHub: 65,536 characters); cut with a note instead. */
export function fitBody(body: string, max: number): string {
  return body.length <= max ? body : body.slice(0, Math.max(0, max - NOTE.length)) + NOTE;
}
