/**
 * What a scan sounds and feels like: a short high beep and a buzz for a read, a low double
 * tone and a longer buzz for a code the app does not know. Web Audio, so no sound files.
 */
let audio: AudioContext | undefined;

function tone(frequency: number, startIn: number, seconds: number): void {
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = frequency;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(audio.destination);
    const t = audio.currentTime + startIn;
    osc.start(t);
    osc.stop(t + seconds);
  } catch {
    // No audio device (or not allowed yet): the screen still says what happened.
  }
}

const vibrate = (pattern: number | number[]) => {
  if ('vibrate' in navigator) navigator.vibrate(pattern);
};

export function scanned(): void {
  tone(1760, 0, 0.08);
  vibrate(40);
}

export function unknownCode(): void {
  tone(220, 0, 0.15);
  tone(220, 0.22, 0.15);
  vibrate([120, 80, 120]);
}
