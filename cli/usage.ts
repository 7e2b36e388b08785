/** The --help text. */
export const USAGE = `Usage: transcribe-stream <file.wav | -> [options]     transcribe a WAV file (or stdin)
       transcribe-stream demo [--aws] [options]        a sample through the emulator (or to AWS)
       transcribe-stream emulator [--port n] [--script file]   a local Transcribe endpoint for tests

Streams audio to Amazon Transcribe at the pace of speech and prints the transcript: on a terminal the
interim text rewrites one line and each final result stays as a line.

Input
  <file.wav>                  PCM 8/16/24/32-bit, 32/64-bit float or G.711 WAV, mono or stereo, any rate
  -                           stdin: a WAV stream, or raw PCM described by the three options below
  --rate <hz>                 sample rate of raw PCM (8000..192000)
  --channels <1|2>            channels of raw PCM, interleaved (default 1)
  --format <f>                s16le (default), s24le, s32le, f32le, f64le, u8, alaw, ulaw
  --fast                      send faster than real time (4x after a 1 s burst); for tests and short files
  --speed <x>                 send at x times real time (1 = real time, the default)

Output
  --json                      one NDJSON object per frame (interim, final, error, metadata) and a summary
  --output <file>             also write the transcript to a file, format from the extension: .srt or .vtt
                              (subtitles), .txt (one line per utterance), .json (segments, word times);
                              repeat for several; rewritten as results arrive, complete after Ctrl-C
  --interim                   print interims as "~ " lines when stdout is not a terminal
  --progress, --no-progress   elapsed / duration on stderr (default: on for files of 30 s or more)

Amazon Transcribe (credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN], or the
AWS default chain: AWS_PROFILE, SSO, roles; needs the IAM action transcribe:StartStreamTranscriptionWebSocket)
  --region <r>                AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1)
  --language <code>           e.g. en-US, en-GB, es-US (default en-US)
  --identify-language         let AWS identify the language among --language-options
  --identify-multiple-languages   the same, switching language within the stream
  --language-options <a,b>    2 to 5 candidate codes, e.g. en-US,es-US
  --preferred-language <code> one of --language-options
  --vocabulary <name>         custom vocabulary
  --vocabulary-filter <name>  vocabulary filter, with --vocabulary-filter-method remove|mask|tag
  --speaker-labels            label speakers ([speaker 0] …)
  --channel-identification    stereo call recordings: each channel transcribed apart ([channel 0] …)
  --sample-rate <8000|16000>  rate on the wire (default 16000; 8000 for 8 kHz input)
  --endpoint <url>            a ws:// or wss:// endpoint instead of AWS (e.g. your own emulator)

Emulator
  --emulator                  start the bundled emulator in-process and stream to it (no AWS, no network);
                              it "recognises" the transcript beside the file (file.txt, one line per
                              utterance) or a generic script
  --script <file>             the emulator's script instead (one utterance per line; a line may start
                              with [speaker 1] or a language such as [es-US] to label it)
  --aws                       (demo) send the sample to Amazon Transcribe instead of the emulator

  -h, --help                  this text
  -v, --version               the version

Ctrl-C or SIGTERM stops within a few seconds with the finals so far and the summary; a second one at once.
Exit codes: 0 done, 1 the service or the network failed, 2 bad arguments or input,
130 interrupted (SIGINT), 143 terminated (SIGTERM).`;
