import { AWSTranscribeSTTService } from '../../dist/adapters/node.js';
import type { AWSTranscribeSTTServiceOptions } from '../../dist/adapters/node.js';
import type { Emulator } from '../../dist/emulator/index.js';

/** The Node service pointed at `emu` with its credentials: no keep-alive, no log output, then `o`. */
export function emulatorService(emu: Emulator, o: AWSTranscribeSTTServiceOptions = {}): AWSTranscribeSTTService {
  return new AWSTranscribeSTTService({
    endpoint: emu.endpoint,
    awsAccessKeyId: emu.credentials.accessKeyId,
    apiKey: emu.credentials.secretAccessKey,
    keepAliveMs: 0,
    logger: {},
    ...o,
  });
}
