/** Licences of imported posts: the deed each attribution links to. */

/** The licence's deed, for the attribution link. */
export function licenseUrl(license: string): string | null {
  const version = /CC BY-SA (\d\.\d)/.exec(license)?.[1];
  return version ? `https://creativecommons.org/licenses/by-sa/${version}/` : null;
}
