/**
 * Reading barcodes on a phone:
 * - the camera, through the `barcode-detector` ponyfill. Its zxing-wasm engine is served from
 *   our own build (`locateFile` points at the hashed asset Vite emits), never from the CDN the
 *   package defaults to: a store's network or an offline phone cannot reach it. The service
 *   worker precaches the engine with the shell.
 * Continuous: a code is read once while it stays in view, and again once it has left it.
 * The keyboard-wedge path is in wedge.ts.
 */
import { BarcodeDetector, prepareZXingModule, type BarcodeFormat } from 'barcode-detector/ponyfill';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

prepareZXingModule({
  overrides: {
    locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path),
  },
});

export const FORMATS: BarcodeFormat[] = ['ean_13', 'ean_8', 'upc_a', 'upc_e', 'code_128', 'qr_code'];

/** A code counts as "left the view" after this long unseen, so the next sighting is a new scan. */
const GONE_MS = 1200;
const FRAME_MS = 150;

export interface CameraScanner { stop(): void }

/** Opens the back camera into `video` and calls `onCode` for each new read. */
export async function startCamera(video: HTMLVideoElement, onCode: (code: string) => void): Promise<CameraScanner> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  video.srcObject = stream;
  video.muted = true;
  video.setAttribute('playsinline', '');
  await video.play();
  const detector = new BarcodeDetector({ formats: FORMATS });
  const lastSeen = new Map<string, number>();
  let stopped = false;
  let handle: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    if (stopped) return;
    try {
      if (video.readyState >= 2) {
        const now = Date.now();
        for (const found of await detector.detect(video)) {
          const seen = lastSeen.get(found.rawValue);
          lastSeen.set(found.rawValue, now);
          if (seen === undefined || now - seen > GONE_MS) onCode(found.rawValue);
        }
      }
    } catch {
      // A frame the engine could not read: the next one will do.
    }
    if (!stopped) handle = setTimeout(() => void tick(), FRAME_MS);
  };
  void tick();
  return {
    stop() {
      stopped = true;
      if (handle) clearTimeout(handle);
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    },
  };
}
