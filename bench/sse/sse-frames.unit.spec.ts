import { describe, expect, it } from 'vitest';
import { sseParser, type SseFrame } from './sse-frames';

const parse = (...chunks: string[]): SseFrame[] => {
  const frames: SseFrame[] = [];
  const push = sseParser((f) => frames.push(f));
  for (const c of chunks) push(c);
  return frames;
};

describe('sseParser', () => {
  it('given frames split anywhere across chunks, then each complete frame comes out once, in order', () => {
    const text = ': connected\n\nid: 7\nevent: stock\ndata: {"position":"7"}\n\nid: 8\nevent: alert\ndata: {"a":1}\n\n';
    const whole = parse(text);
    expect(whole).toEqual([
      { event: 'stock', id: '7', data: '{"position":"7"}' },
      { event: 'alert', id: '8', data: '{"a":1}' },
    ]);
    for (let cut = 1; cut < text.length; cut += 1) expect(parse(text.slice(0, cut), text.slice(cut))).toEqual(whole);
  });

  it('given comments only or an unfinished frame, then nothing comes out yet', () => {
    expect(parse(': heartbeat\n\n', 'event: stock\ndata: {}\n')).toEqual([]);
  });

  it('given CRLF line ends and multi-line data, then data lines are joined with newlines', () => {
    expect(parse('data: a\r\ndata: b\r\n\r\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});
