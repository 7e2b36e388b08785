#!/bin/sh
# Regenerates demo.wav from demo.txt's three sentences (run once by hand; CI uses the committed WAV).
# Needs espeak-ng and sox (apt-get install -y espeak-ng sox). 48 kHz, stereo (the mono voice on both
# channels), 16-bit: the input the library must resample and downmix. The 0.7 s pauses are longer
# than the emulator's 500 ms end-of-utterance silence, so its energy VAD finds exactly three utterances.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=1
for s in "Hello there." "This is a live stream." "Goodbye for now."; do
  espeak-ng -v en-us -s 200 -w "$tmp/raw$n.wav" "$s"
  # Trim espeak's own leading and trailing silence so the pauses below are exact.
  sox "$tmp/raw$n.wav" "$tmp/t$n.wav" silence 1 0.01 0.3% reverse silence 1 0.01 0.3% reverse
  n=$((n + 1))
done
sox -n -r 22050 -c 1 -b 16 "$tmp/lead.wav" trim 0 0.1
sox -n -r 22050 -c 1 -b 16 "$tmp/pause.wav" trim 0 0.7
sox -n -r 22050 -c 1 -b 16 "$tmp/trail.wav" trim 0 0.3
# -D: no dither, so the pauses stay digital silence.
sox -D "$tmp/lead.wav" "$tmp/t1.wav" "$tmp/pause.wav" "$tmp/t2.wav" "$tmp/pause.wav" "$tmp/t3.wav" "$tmp/trail.wav" \
  -r 48000 -c 2 -b 16 -e signed-integer demo.wav gain -n -3 rate -v 48000 remix 1 1
