/**
 * The TranscriptEvent JSON as Amazon Transcribe sends it (service model StartStreamTranscription;
 * field names exact, PascalCase). Times are seconds from the start of the stream.
 */

export interface TranscriptItem {
  StartTime: number;
  EndTime: number;
  Type: 'pronunciation' | 'punctuation';
  Content: string;
  VocabularyFilterMatch?: boolean;
  /** Only with show-speaker-label: "0", "1", … */
  Speaker?: string;
  Confidence?: number;
  /** Only with partial-results stabilization. */
  Stable?: boolean;
}

export interface TranscriptEntity {
  StartTime: number;
  EndTime: number;
  Category: string;
  Type?: string;
  Content: string;
  Confidence?: number;
}

export interface TranscriptAlternative {
  Transcript: string;
  Items: TranscriptItem[];
  Entities?: TranscriptEntity[];
}

export interface LanguageWithScore {
  LanguageCode: string;
  Score: number;
}

export interface TranscriptResult {
  ResultId: string;
  StartTime: number;
  EndTime: number;
  IsPartial: boolean;
  Alternatives: TranscriptAlternative[];
  /** Only with channel identification: "ch_0" | "ch_1". */
  ChannelId?: string;
  /** Only with language identification. */
  LanguageCode?: string;
  LanguageIdentification?: LanguageWithScore[];
}

export interface TranscriptEvent {
  Transcript: { Results: TranscriptResult[] };
}
