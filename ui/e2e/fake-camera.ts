/**
 * A fake camera for Chromium (`--use-file-for-fake-video-capture=<file>.y4m`): a barcode drawn
 * with bwip-js onto a white 640×480 picture, written as uncompressed YUV4MPEG2 (4:2:0) frames,
 * so no ffmpeg is needed. Chromium loops the file: the code stays in view.
 */
import { writeFile } from 'node:fs/promises';
import bwipjs from 'bwip-js/node';

const W = 640;
const H = 480;
const WHITE = 235;
const BLACK = 16;

/** Writes `frames` identical frames showing a linear barcode (`ean13`, `upca`, `code128`...). */
export async function writeBarcodeY4m(path: string, bcid: string, text: string, frames = 10): Promise<void> {
  const [symbol] = bwipjs.raw({ bcid, text }) as Array<{ sbs?: number[] }>;
  if (!symbol?.sbs) throw new Error(`${bcid} is not a linear symbology`);
  const modules = symbol.sbs.reduce((a, b) => a + b, 0);
  const module = Math.floor((W - 80) / modules); // leaves at least a 40 px quiet zone each side
  const left = Math.floor((W - modules * module) / 2);
  const top = 120;
  const bottom = 360;
  const y = Buffer.alloc(W * H, WHITE);
  let x = left;
  symbol.sbs.forEach((width, i) => {
    const px = width * module;
    if (i % 2 === 0) for (let row = top; row < bottom; row++) y.fill(BLACK, row * W + x, row * W + x + px);
    x += px;
  });
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`);
  await writeFile(path, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
}
