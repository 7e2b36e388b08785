/** AWS credentials as the presigner takes them (temporary ones carry a session token and an expiration). */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}
