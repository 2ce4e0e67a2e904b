// Image references, read so that a tag or digest change can never hide a repository change.
import { splitImage } from '../../diagnose/image-analyzer.ts';

export interface ImageParts {
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * repository[:tag][@digest]. splitImage leaves digests whole, so the digest is cut off
 * first: `ghcr.io/acme/app@sha256:…` is repository ghcr.io/acme/app. Registries are
 * compared as written (`nginx` and `docker.io/library/nginx` count as different).
 */
export function imageParts(image: string): ImageParts {
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const { repository, tag } = splitImage(named);
  return { repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** The image with another tag in the same repository (a digest pins the old content, so it goes). */
export function withTag(image: string, tag: string): string {
  return `${imageParts(image).repository}:${tag}`;
}
