import { createHash } from 'node:crypto';

/**
 * The id git gives `content` as a blob (`git hash-object`). All three forges report it for
 * a file (GitHub and Gitea `sha`, GitLab `blob_id`), so "is this file already exactly
 * that?" is answered without downloading or diffing anything.
 */
export function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
