/** An incremental Server-Sent Events parser: text chunks in, complete frames out (comments skipped). */

export interface SseFrame {
  readonly event: string;
  readonly id?: string;
  readonly data: string;
}

/** Returns `push(chunk)`; `onFrame` is called for every frame a blank line completes. */
export function sseParser(onFrame: (frame: SseFrame) => void): (chunk: string) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk;
    for (;;) {
      const match = /\r?\n\r?\n/.exec(pending);
      if (!match) return;
      const block = pending.slice(0, match.index);
      pending = pending.slice(match.index + match[0].length);
      let event = 'message';
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'id') id = value;
        else if (field === 'data') data.push(value);
      }
      // A block of comments only (connected, heartbeat) is no frame.
      if (data.length > 0) onFrame({ event, ...(id !== undefined && { id }), data: data.join('\n') });
    }
  };
}
