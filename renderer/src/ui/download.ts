/** Saves text as a file through the browser's download (runtime: browser): presets, audit CSV. */
export function downloadText(fileName: string, text: string, type: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(a.href);
}

/** Today's date as YYYY-MM-DD, for file names. */
export const today = (): string => new Date().toISOString().slice(0, 10);
