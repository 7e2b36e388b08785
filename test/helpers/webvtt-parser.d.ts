// Types for the W3C WebVTT parser and validator (webvtt-parser, CC0, no types of its own): the
// part the subtitle tests use.
declare module 'webvtt-parser' {
  export interface ParsedCue {
    id: string;
    startTime: number;
    endTime: number;
    text: string;
  }
  export interface ParseError {
    message: string;
    line: number;
    col?: number;
  }
  export interface ParseResult {
    cues: ParsedCue[];
    errors: ParseError[];
  }
  const webvtt: {
    WebVTTParser: new () => { parse(input: string, mode?: 'metadata' | 'chapters'): ParseResult };
  };
  export default webvtt;
}
