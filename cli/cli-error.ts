/**
 * The one error the command line reports itself: a message that already says what was wrong and
 * what to do, printed as one line, and the exit code that goes with it.
 */

/** Bad arguments or input the tool cannot read (sysexits' EX_USAGE is 64; 2 is what shells expect). */
export const EXIT_USAGE = 2;
/** The service, the network or the credentials failed. */
export const EXIT_FAILURE = 1;

export class CliError extends Error {
  override readonly name: string = 'CliError';
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_USAGE) {
    super(message);
    this.exitCode = exitCode;
  }
}
