/**
 * Hands a fetched file to the browser's downloads, under `name`. Files the store serves only
 * with the access token cannot be plain links (a link sends no Authorization header): they are
 * fetched, then saved from an object URL through a temporary `<a download>`.
 */
export function saveFile(file: Blob, name: string): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download reads the object URL after the click returns: let it go a little later.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}
