#!/usr/bin/python3
"""Writes test/fixtures/audio/speech-and-silence.wav, the clip of the voice-activity tests.

Run with Debian's Python and espeak-ng (`apt-get install espeak-ng`; `/usr/bin/python3
scripts/make-audio-fixture.py`). The clip is 1 s of silence, a spoken sentence (espeak-ng's
synthetic voice, at its native 22050 Hz, which the runtime resamples to the model's 16 kHz), and
1.5 s of silence: mono 16-bit PCM. The same espeak-ng version writes the same bytes.
"""
import io
import subprocess
import wave
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "audio" / "speech-and-silence.wav"
SENTENCE = "Hello there, this is speech."


def main() -> None:
    spoken = subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "--stdout", SENTENCE], check=True, capture_output=True).stdout
    with wave.open(io.BytesIO(spoken)) as speech:
        rate, width, channels = speech.getframerate(), speech.getsampwidth(), speech.getnchannels()
        frames = speech.readframes(speech.getnframes())
    assert width == 2 and channels == 1, (width, channels)
    silence = lambda seconds: b"\x00\x00" * int(rate * seconds)  # noqa: E731
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(OUT), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(silence(1.0) + frames + silence(1.5))
    print(f"wrote {OUT.name}: {rate} Hz, speech from 1.00 s to {1 + len(frames) / 2 / rate:.2f} s, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
