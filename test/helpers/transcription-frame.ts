import type { TranscriptionFrame, TranscriptItem } from '../../dist/adapters/node.js';

/**
 * A frame of `text` as the service delivers it (no user id, en-US), final unless `partial`: its
 * result spans its items' times (0..1 s without items), on `channel` when given. For the tests of
 * what the command line makes of frames.
 */
export function transcriptionFrame(
  text: string,
  o: { partial?: boolean; items?: TranscriptItem[]; channel?: string } = {},
): TranscriptionFrame {
  const items = o.items ?? [];
  return {
    // The interim frame has the same shape under another type.
    type: (o.partial ? 'interimTranscription' : 'transcription') as 'transcription',
    text,
    userId: '',
    timestamp: '',
    language: 'en-US',
    result: {
      ResultId: 'r',
      StartTime: items[0]?.StartTime ?? 0,
      EndTime: items[items.length - 1]?.EndTime ?? 1,
      IsPartial: o.partial === true,
      Alternatives: [{ Transcript: text, Items: items }],
      ...(o.channel ? { ChannelId: o.channel } : {}),
    },
  };
}
