/** An attachment as a person gives it: a file name (shown, never trusted) and bytes typed by their content. */
import { ATTACHMENT_MAX_BYTES, type AttachmentType } from '../../shared/model/finding.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { visibleControls } from '../../shared/text/controls.js';
import { describeContent, detectMediaType } from './media-type.js';

const ACCEPTED = 'PNG, JPEG, GIF, WebP, PDF or plain text';

/** The checked name (its last path component), the type found in the content, and the bytes. */
export function checkAttachment(file: { name: string; bytes: Uint8Array }): {
  name: string;
  mediaType: AttachmentType;
  bytes: Buffer;
} {
  if (typeof file.name !== 'string') throw new FoureyesError('bad_input', 'attachment name must be text');
  const name = (file.name.split(/[\\/]/).pop() ?? '').trim();
  const shown = `"${visibleControls(name.slice(0, 255), false)}"`;
  if (name.length === 0) throw new FoureyesError('bad_input', 'attachment name is required');
  if (name.length > 255) throw new FoureyesError('bad_input', `attachment name ${shown}... is longer than 255 characters`);
  if (visibleControls(name, false) !== name)
    throw new FoureyesError('bad_input', `attachment name ${shown} contains control characters`);
  if (!(file.bytes instanceof Uint8Array)) throw new FoureyesError('bad_input', `attachment ${shown} has no content`);
  const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
  if (bytes.length === 0) throw new FoureyesError('bad_input', `attachment ${shown} is empty`);
  if (bytes.length > ATTACHMENT_MAX_BYTES)
    throw new FoureyesError(
      'bad_input',
      `attachment ${shown} is ${bytes.length} bytes; attachments are at most 10 MB (${ATTACHMENT_MAX_BYTES} bytes)`,
    );
  const mediaType = detectMediaType(bytes);
  if (mediaType === undefined)
    throw new FoureyesError(
      'bad_input',
      `attachment ${shown} is not ${ACCEPTED} (${describeContent(bytes)}); the type is read from the content, not the name`,
    );
  return { name, mediaType, bytes };
}
