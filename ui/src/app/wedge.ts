/**
 * Keyboard-wedge scanners (Bluetooth/USB) type the code as keystrokes, much faster than a
 * person, and end it with Enter.
 */
/** Longest gap between two characters of a scanner's burst; people type slower. */
const WEDGE_GAP_MS = 60;
const WEDGE_MIN_LENGTH = 4;

/**
 * Tells a scanner's burst from a person typing, key by key: returns the code when Enter ends a
 * burst of at least 4 characters each under 60 ms after the previous one. Pure (time is given).
 */
export function wedgeReader(): (key: string, at: number) => string | undefined {
  let buffer = '';
  let last = -Infinity;
  return (key, at) => {
    if (at - last > WEDGE_GAP_MS) buffer = '';
    last = at;
    if (key === 'Enter') {
      const code = buffer.length >= WEDGE_MIN_LENGTH ? buffer : undefined;
      buffer = '';
      return code;
    }
    if (key.length === 1) buffer += key;
    return undefined;
  };
}

/**
 * Listens for a keyboard-wedge scanner on the whole page. Keys typed into a text field are left
 * to that field; a burst ending in Enter is a scan (its Enter does not submit anything).
 */
export function listenForWedge(onCode: (code: string) => void): () => void {
  const read = wedgeReader();
  const onKey = (event: KeyboardEvent) => {
    const code = read(event.key, event.timeStamp || performance.now());
    if (code === undefined) return;
    event.preventDefault();
    onCode(code);
  };
  window.addEventListener('keydown', onKey, true);
  return () => window.removeEventListener('keydown', onKey, true);
}
